import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { CompetitionsContext } from "../context.ts";
import type { SyncResult } from "./activity.service.ts";
import { SyncActivityInput } from "./activity.input.ts";
import { SyncActivityResult } from "./activity.type.ts";

@Resolver(() => SyncActivityResult)
export class ActivityResolver {
  @Mutation(() => SyncActivityResult, {
    description:
      "Stores activity records (at most 500) in one transaction: each counts toward every joined ACTIVE competition with its metric whose window contains it. Sending a record again is a duplicate; with another value it replaces the earlier one.",
  })
  async syncActivity(
    @Arg("input", () => SyncActivityInput, { description: "The records." })
    input: SyncActivityInput,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<SyncResult> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("sync-activity:person", viewer.id);
    return ctx.activity.sync(viewer, input);
  }
}
