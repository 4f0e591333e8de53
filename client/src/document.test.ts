import { describe, expect, it } from "vitest";
import { cursorOf, isResumable, operationNameOf } from "./document.ts";
import { LiveMessagesDocument, OnMatchCreatedDocument } from "./generated/graphql.ts";

describe("document helpers", () => {
  it("names a generated document's operation, also when fragments follow it", () => {
    expect(operationNameOf(LiveMessagesDocument.toString())).toBe("LiveMessages");
    expect(operationNameOf("{ me { id } }")).toBeUndefined();
  });

  it("resumes only subscriptions that declare $after", () => {
    expect(isResumable(LiveMessagesDocument.toString())).toBe(true);
    expect(isResumable(OnMatchCreatedDocument.toString())).toBe(false);
  });

  it("reads the cursor of an event's root field", () => {
    expect(cursorOf({ messageAdded: { id: "m", cursor: "c1" } })).toBe("c1");
    expect(cursorOf({ matchCreated: { id: "m" } })).toBeUndefined();
    expect(cursorOf(null)).toBeUndefined();
  });
});
