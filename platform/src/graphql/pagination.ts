import "reflect-metadata";
import { Arg, Directive, Field, Int, ObjectType } from "type-graphql";
import type { z } from "zod";
import { badUserInput } from "../errors/errors.ts";

/**
 * Relay's `PageInfo`, shared by every subgraph's connections (hence `@shareable`: the gateway
 * may resolve it from any of them).
 */
@Directive("@shareable")
@ObjectType("PageInfo", {
  description: "Where a page of a connection starts and ends, and whether more items follow.",
})
export class PageInfo {
  @Field(() => Boolean, { description: "Whether more items follow this page." })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: "Whether items precede this page. Always false: connections page forward only.",
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item of this page." })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the last item of this page; pass it as `after` for the next page.",
  })
  endCursor!: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * The page size a client asked for: `first` defaults to 20 and is capped at 100.
 *
 * @throws BAD_USER_INPUT on `first` when it is negative.
 */
export function pageSize(
  first: number | null | undefined,
  limits: { defaultSize?: number; maxSize?: number } = {},
): number {
  const { defaultSize = DEFAULT_PAGE_SIZE, maxSize = MAX_PAGE_SIZE } = limits;
  if (first === null || first === undefined) return defaultSize;
  if (first < 0) throw badUserInput("first", "first must not be negative");
  return Math.min(first, maxSize);
}

/** An opaque cursor for a keyset position (the values of the row's sort key). */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/**
 * The keyset position in a cursor made by `encodeCursor`.
 *
 * @throws BAD_USER_INPUT on `field` (default `after`) when the cursor was not made by us.
 */
export function decodeCursor<Schema extends z.ZodType>(
  cursor: string,
  schema: Schema,
  field = "after",
): z.infer<Schema> {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // Not base64url JSON: reported below.
  }
  throw badUserInput(field, "Not a valid cursor");
}

export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: PageInfo;
}

/**
 * A connection from rows fetched with `LIMIT size + 1` (the extra row only says that more follow).
 */
export function toConnection<Node>(
  rows: Node[],
  size: number,
  positionOf: (node: Node) => unknown,
): Connection<Node> {
  const edges = rows
    .slice(0, size)
    .map((node) => ({ cursor: encodeCursor(positionOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A connection's `first` argument: its page size (see {@link pageSize}). */
export const PageSizeArg = () =>
  Arg("first", () => Int, {
    nullable: true,
    description: "Page size: 20 by default, at most 100.",
  });

/**
 * A connection's `after` argument: the cursor its page continues after.
 *
 * @param description how a client comes by such a cursor.
 */
export const AfterCursorArg = (description: string) =>
  Arg("after", () => String, { nullable: true, description });
