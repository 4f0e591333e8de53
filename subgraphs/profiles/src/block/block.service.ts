import { badUserInput, notFound, type Viewer } from "@pulse/platform/server";
import {
  isUuid,
  type PrismaTransaction,
  type Outbox,
  type PrismaClient,
} from "@pulse/platform/subgraph";

export interface BlockServiceDeps {
  prisma: PrismaClient;
  outbox: Outbox;
}

type BlockPair = { blockerId: string; blockedId: string };

/**
 * Blocking: a blocked person disappears from the blocker's search here, and (through
 * `user.blocked`) from discovery, matches and chat. Both directions are idempotent; only an
 * actual change publishes an event.
 */
export class BlockService {
  constructor(private readonly deps: BlockServiceDeps) {}

  /** @throws BAD_USER_INPUT on `userId` for the viewer themselves; NOT_FOUND for a non-id. */
  block(viewer: Viewer, userId: string): Promise<true> {
    return this.change(viewer, userId, "user.blocked", async (tx, pair) => {
      const { count } = await tx.block.createMany({ data: pair, skipDuplicates: true });
      return count;
    });
  }

  /** @throws BAD_USER_INPUT on `userId` for the viewer themselves; NOT_FOUND for a non-id. */
  unblock(viewer: Viewer, userId: string): Promise<true> {
    return this.change(viewer, userId, "user.unblocked", async (tx, pair) => {
      const { count } = await tx.block.deleteMany({ where: pair });
      return count;
    });
  }

  /** Everyone the person blocked or was blocked by. */
  async blockedEitherWay(userId: string): Promise<string[]> {
    const blocks = await this.deps.prisma.block.findMany({
      where: { OR: [{ blockerId: userId }, { blockedId: userId }] },
    });
    return blocks.map((block) => (block.blockerId === userId ? block.blockedId : block.blockerId));
  }

  /** Applies `write` to the viewer's block of `userId` and publishes `type` if it changed a row. */
  private async change(
    viewer: Viewer,
    userId: string,
    type: "user.blocked" | "user.unblocked",
    write: (tx: PrismaTransaction, pair: BlockPair) => Promise<number>,
  ): Promise<true> {
    if (!isUuid(userId)) throw notFound("No such person");
    if (userId === viewer.id) throw badUserInput("userId", "You cannot block yourself");
    const pair = { blockerId: viewer.id, blockedId: userId };
    await this.deps.prisma.$transaction(async (tx) => {
      if ((await write(tx, pair)) === 0) return;
      await this.deps.outbox.record(tx, type, { ...pair, at: new Date().toISOString() });
    });
    return true;
  }
}
