import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg, type Connection } from "@pulse/platform/subgraph";
import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { DiscoveryContext } from "../context.ts";
import { fromLive, type LiveMatch } from "./match-created.topic.ts";
import { matchFeedCursor } from "./match.cursor.ts";
import { Match, MatchConnection } from "./match.type.ts";

@Resolver(() => Match)
export class MatchResolver {
  @Query(() => MatchConnection, {
    description: "The viewer's current matches, newest first. Requires signing in.",
  })
  matches(
    @PageSizeArg()
    first: number | null | undefined,
    @AfterCursorArg("Cursor of the last match of the previous page (`pageInfo.endCursor`).")
    after: string | null | undefined,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<Connection<Match>> {
    return ctx.matches.list(requireViewer(ctx), first, after);
  }

  @Mutation(() => Boolean, {
    description:
      "Ends one of the viewer's matches for both people, which closes their conversation. True also when it had already ended.",
  })
  unmatch(
    @Arg("matchId", () => ID, { description: "The match to end." }) matchId: string,
    @Ctx() ctx: DiscoveryContext,
  ): Promise<true> {
    return ctx.matches.unmatch(requireViewer(ctx), matchId);
  }

  @Subscription(() => Match, {
    description: "Each new match of the viewer, with the other person as `user`.",
    subscribe: ({ context }) => {
      const ctx = context as DiscoveryContext;
      // The gateway re-subscribing after a dropped socket resumes after the last match it got.
      return ctx.matches.feed(requireViewer(ctx), ctx.resume?.after);
    },
  })
  matchCreated(@Root() payload: LiveMatch, @Ctx() ctx: DiscoveryContext): Match {
    ctx.resume?.reached(matchFeedCursor(payload.position));
    return fromLive(payload);
  }
}
