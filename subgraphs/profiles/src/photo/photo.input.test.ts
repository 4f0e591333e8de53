import { describe, expect, it } from "vitest";
import { parseInput } from "@pulse/platform/subgraph";
import { MAX_PHOTO_BYTES, photoUploadInputSchema } from "./photo.input.ts";

describe("photo upload input", () => {
  it("accepts the allowed types up to 10 MiB, in any case", () => {
    expect(
      parseInput(
        photoUploadInputSchema,
        { contentType: "Image/PNG", byteSize: MAX_PHOTO_BYTES },
        "input",
      ),
    ).toEqual({ contentType: "image/png", byteSize: MAX_PHOTO_BYTES });
  });

  it.each([
    [{ contentType: "image/gif", byteSize: 10 }, "input.contentType"],
    [{ contentType: "image/svg+xml", byteSize: 10 }, "input.contentType"],
    [{ contentType: "image/jpeg", byteSize: 0 }, "input.byteSize"],
    [{ contentType: "image/jpeg", byteSize: MAX_PHOTO_BYTES + 1 }, "input.byteSize"],
  ])("rejects %j on %s", (input, field) => {
    expect(() => parseInput(photoUploadInputSchema, input, "input")).toThrowError(
      expect.objectContaining({ extensions: { code: "BAD_USER_INPUT", field } }),
    );
  });
});
