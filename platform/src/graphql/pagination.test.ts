import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodeCursor, encodeCursor, pageSize, toConnection } from "./pagination.ts";

describe("pagination", () => {
  it("defaults first to 20, caps it at 100 and refuses negatives", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(5)).toBe(5);
    expect(pageSize(1000)).toBe(100);
    expect(() => pageSize(-1)).toThrowError("first must not be negative");
  });

  it("round-trips keyset positions through opaque cursors", () => {
    const position = { at: "2026-11-22T10:00:00.000Z", id: "abc" };
    const schema = z.object({ at: z.string(), id: z.string() });
    expect(decodeCursor(encodeCursor(position), schema)).toEqual(position);
  });

  it("refuses cursors it did not make, naming the argument", () => {
    const schema = z.object({ id: z.string() });
    for (const bad of ["%%%", encodeCursor({ other: 1 }), "bm90IGpzb24"]) {
      try {
        decodeCursor(bad, schema);
        expect.unreachable();
      } catch (error) {
        expect((error as { extensions: unknown }).extensions).toEqual({
          code: "BAD_USER_INPUT",
          field: "after",
        });
      }
    }
  });

  it("builds a page from size + 1 rows", () => {
    const page = toConnection([{ id: 1 }, { id: 2 }, { id: 3 }], 2, (node) => node.id);
    expect(page.edges.map((edge) => edge.node.id)).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: encodeCursor(1),
      endCursor: encodeCursor(2),
    });
    expect(toConnection([{ id: 1 }], 2, (node) => node.id).pageInfo.hasNextPage).toBe(false);
  });
});
