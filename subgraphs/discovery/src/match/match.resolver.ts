import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg, type Connection } from "@pulse/platform/subgraph";
import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from "type-graphql";
import type { DiscoveryContext } from "../context.ts";
import { fromLive, type LiveMatch } from "./match-created.topic.ts";
import { matchCursor, matchFeedCursor } from "./match.cursor.ts";
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
    description:
      "Each new match of the viewer, with the other person as `user`. With `after`, first replays the viewer's current matches made after that one, so a reconnecting client loses nothing and gets nothing twice.",
    subscribe: ({ args, context }) => {
      const ctx = context as DiscoveryContext;
      // The gateway re-subscribing after a dropped socket resumes after the last match it got;
      // a new subscription starts from when its subscribe reached the gateway.
      return ctx.matches.feed(requireViewer(ctx), {
        resumeAfter: ctx.resume?.after,
        after: (args as { after?: string | null }).after,
        since: ctx.resume?.since,
      });
    },
  })
  matchCreated(
    @Root() payload: LiveMatch,
    @Arg("after", () => String, {
      nullable: true,
      description: "A match's `cursor`: replay the viewer's current matches made after it first.",
    })
    _after: string | null | undefined,
    @Ctx() ctx: DiscoveryContext,
  ): Match {
    ctx.resume?.reached(matchFeedCursor(payload.position));
    return fromLive(payload);
  }

  @FieldResolver(() => String, {
    description:
      "Opaque cursor of this match: pass it as `matches(after:)` or `matchCreated(after:)`.",
  })
  cursor(@Root() match: Match): string {
    return matchCursor(match);
  }
}
