import { requireViewer } from "@pulse/platform/server";
import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { ProfilesContext } from "../context.ts";

@Resolver()
export class BlockResolver {
  @Mutation(() => Boolean, {
    description:
      "Blocks a person: each disappears from the other's search, discovery, matches and conversations. Idempotent.",
  })
  blockUser(
    @Arg("userId", () => ID, { description: "The person to block." }) userId: string,
    @Ctx() ctx: ProfilesContext,
  ): Promise<true> {
    return ctx.blocks.block(requireViewer(ctx), userId);
  }

  @Mutation(() => Boolean, { description: "Lifts a block the viewer made. Idempotent." })
  unblockUser(
    @Arg("userId", () => ID, { description: "The person to unblock." }) userId: string,
    @Ctx() ctx: ProfilesContext,
  ): Promise<true> {
    return ctx.blocks.unblock(requireViewer(ctx), userId);
  }
}
