import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg, type Connection } from "@pulse/platform/subgraph";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { CompetitionsContext } from "../context.ts";
import { User, type UserRef } from "../user/user.type.ts";
import type { RatingEntryRow } from "./rating.service.ts";
import { RatingConnection, RatingEntry } from "./rating.type.ts";

@Resolver(() => RatingEntry)
export class RatingResolver {
  @Query(() => RatingConnection, {
    description: "The rating ladder, highest rating first; ties share a rank.",
  })
  ratingLeaderboard(
    @PageSizeArg() first: number | null | undefined,
    @AfterCursorArg("A `RatingEdge.cursor`: the page continues after it.")
    after: string | null | undefined,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<Connection<RatingEntryRow>> {
    requireViewer(ctx);
    return ctx.ratings.ladder(first, after);
  }

  @FieldResolver(() => User, { description: "The person." })
  user(@Root() entry: RatingEntryRow): UserRef {
    return { id: entry.userId };
  }
}
