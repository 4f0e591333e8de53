import type { Profile as ProfileRow } from "@pulse/db";
import { badUserInput, type Viewer } from "@pulse/platform/server";
import {
  pageSize,
  toConnection,
  type Connection,
  type PrismaClient,
} from "@pulse/platform/subgraph";
import type { BlockService } from "../block/block.service.ts";
import { prefixRange, usernameKey } from "../profile/username.rules.ts";
import { searchCursorUsername, searchPosition } from "./search.cursor.ts";

const SEARCHABLE = /^[a-z0-9_.]{1,30}$/;

export interface SearchServiceDeps {
  /** Lag-tolerant reads (ADR 0025): the profiles scanned, on the replica when there is one. */
  reads: PrismaClient;
  /** Blocks, read from the primary: someone just blocked never shows up. */
  blocks: BlockService;
}

/** Finding people by username. */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  /**
   * Profiles whose username starts with `query`, in any case, ordered by username: a range scan
   * of the unique `username_key` index (keys are compared in byte order, which the C collation
   * of our databases gives). Never the viewer, nor anyone blocked by or blocking them.
   *
   * @param after the username after which to continue (keyset pagination).
   * @throws BAD_USER_INPUT on `query` when it is empty.
   */
  async byUsernamePrefix(
    viewer: Viewer,
    query: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ProfileRow[]> {
    return this.find(viewer, query, pageSize(first), after);
  }

  /**
   * {@link byUsernamePrefix} as a Relay connection: `after` is an opaque cursor.
   *
   * @throws BAD_USER_INPUT on `after` when it is not a cursor of this search.
   */
  async pageByUsernamePrefix(
    viewer: Viewer,
    query: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<ProfileRow>> {
    const size = pageSize(first);
    const afterUsername = after ? searchCursorUsername(after) : undefined;
    // One more than asked for, to tell whether another page follows.
    const rows = size === 0 ? [] : await this.find(viewer, query, size + 1, afterUsername);
    return toConnection(rows, size, searchPosition);
  }

  private async find(
    viewer: Viewer,
    query: string,
    take: number,
    after: string | null | undefined,
  ): Promise<ProfileRow[]> {
    const prefix = usernameKey(query.trim());
    if (prefix === "") throw badUserInput("query", "Type at least one character");
    // Characters no username has cannot match anything.
    if (!SEARCHABLE.test(prefix) || take === 0) return [];
    const hidden = await this.deps.blocks.blockedEitherWay(viewer.id);
    const { from, to } = prefixRange(prefix);
    return this.deps.reads.profile.findMany({
      where: {
        AND: [
          { usernameKey: { gte: from, lt: to } },
          ...(after ? [{ usernameKey: { gt: usernameKey(after) } }] : []),
        ],
        userId: { notIn: [viewer.id, ...hidden] },
      },
      orderBy: { usernameKey: "asc" },
      take,
    });
  }
}
