import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { readFigures } from "./figures.ts";
import { APP_USAGE } from "./model.ts";
import { CAPACITY_DOC, capacityDoc, renderCapacity } from "./render.ts";

it("docs/capacity.md says what the committed figures give (else: pnpm bench:capacity --model-only --write)", async () => {
  const expected = await capacityDoc(renderCapacity(readFigures(), APP_USAGE));
  expect(readFileSync(CAPACITY_DOC, "utf8")).toBe(expected);
});
