import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg } from "@pulse/platform/subgraph";
import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { DiscoveryContext } from "../context.ts";
import { SwipeInput } from "./swipe.input.ts";
import { LikeReceived, LikeReceivedConnection, SwipeResult } from "./swipe.type.ts";

@Resolver()
export class SwipeResolver {
  @Mutation(() => SwipeResult, {
    description:
      "Likes, passes or super likes a person. Idempotent for the same action; a like that meets theirs makes a match. Free members get 100 likes and 1 super like a UTC day, premium members unlimited likes and 5 super likes (RATE_LIMITED beyond).",
  })
  async swipe(
    @Arg("input", () => SwipeInput, { description: "Who and how." }) input: SwipeInput,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<SwipeResult> {
    const viewer = requireViewer(ctx);
    await ctx.limits.consume("swipe:person", viewer.id);
    return ctx.swipes.swipe(viewer, input);
  }

  @Query(() => [LikeReceived], {
    description:
      "People who liked the viewer and are waiting for an answer, newest first. Premium only (PAYMENT_REQUIRED otherwise).",
  })
  likesReceived(
    @Arg("first", () => Int, {
      nullable: true,
      description: "How many to return: 20 by default, at most 100.",
    })
    first: number | null | undefined,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<LikeReceived[]> {
    return ctx.swipes.likesReceived(requireViewer(ctx), first);
  }

  @Query(() => LikeReceivedConnection, {
    description:
      "`likesReceived` as a Relay connection: people who liked the viewer and are waiting for an answer, newest first. Premium only (PAYMENT_REQUIRED otherwise).",
  })
  likesReceivedConnection(
    @PageSizeArg() first: number | null,
    @AfterCursorArg("Cursor of the last like of the previous page (`pageInfo.endCursor`).")
    after: string | null,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<LikeReceivedConnection> {
    return ctx.swipes.likesReceivedPage(requireViewer(ctx), first, after);
  }
}
