import type { Competition as CompetitionRow } from "@pulse/db";
import { requireViewer } from "@pulse/platform/server";
import { AfterCursorArg, PageSizeArg, PerViewer, type Connection } from "@pulse/platform/subgraph";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { CompetitionsContext } from "../context.ts";
import { LeaderboardConnection, Standing } from "../leaderboard/leaderboard.type.ts";
import type { LeaderboardEntrySource, StandingSource } from "../leaderboard/leaderboard.type.ts";
import { Money } from "../money/money.type.ts";
import { CreateCompetitionInput } from "./competition.input.ts";
import { statusAt } from "./competition.rules.ts";
import { Competition, CompetitionConnection, CompetitionStatus } from "./competition.type.ts";

@Resolver(() => Competition)
export class CompetitionResolver {
  @Query(() => Competition, { nullable: true, description: "A competition by id; null if none." })
  async competition(
    @Arg("id", () => ID, { description: "The competition's id." }) id: string,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<CompetitionRow | null> {
    requireViewer(ctx);
    return ctx.loaders.competition.load(id);
  }

  @Query(() => CompetitionConnection, {
    description: "Competitions, earliest start first; of one status when `status` is given.",
  })
  competitions(
    @Arg("status", () => CompetitionStatus, { nullable: true, description: "Only this status." })
    status: CompetitionStatus | null | undefined,
    @PageSizeArg() first: number | null | undefined,
    @AfterCursorArg("A `CompetitionEdge.cursor`: the page continues after it.")
    after: string | null | undefined,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<Connection<CompetitionRow>> {
    requireViewer(ctx);
    return ctx.competitions.list(status, first, after);
  }

  @Mutation(() => Competition, { description: "Creates a competition; any signed-in person may." })
  createCompetition(
    @Arg("input", () => CreateCompetitionInput, { description: "The competition." })
    input: CreateCompetitionInput,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<CompetitionRow> {
    return ctx.competitions.create(requireViewer(ctx), input);
  }

  @Mutation(() => Competition, {
    description:
      "Joins an UPCOMING or ACTIVE competition. CONFLICT when already joined or full; PAYMENT_REQUIRED when it has a fee the viewer has not paid.",
  })
  joinCompetition(
    @Arg("competitionId", () => ID, { description: "The competition." }) competitionId: string,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<CompetitionRow> {
    return ctx.competitions.join(requireViewer(ctx), competitionId);
  }

  @Mutation(() => Competition, {
    description:
      "Leaves a competition until it finishes. A paid entry stays paid: rejoining costs nothing.",
  })
  leaveCompetition(
    @Arg("competitionId", () => ID, { description: "The competition." }) competitionId: string,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<CompetitionRow> {
    return ctx.competitions.leave(requireViewer(ctx), competitionId);
  }

  @FieldResolver(() => CompetitionStatus, {
    description: "Derived from the window and the clock: never stale.",
  })
  status(@Root() competition: CompetitionRow, @Ctx() ctx: CompetitionsContext): CompetitionStatus {
    return statusAt(competition, ctx.competitions.now()) as CompetitionStatus;
  }

  @FieldResolver(() => Money, { nullable: true, description: "The entry fee; null when free." })
  entryFee(@Root() competition: CompetitionRow): Money | null {
    return competition.entryFeeCents > 0
      ? { amountCents: competition.entryFeeCents, currency: competition.currency }
      : null;
  }

  @FieldResolver(() => Int, { description: "How many people have joined." })
  participantCount(@Root() competition: CompetitionRow): number {
    return competition.participantCount;
  }

  @FieldResolver(() => Boolean, { description: "Whether the viewer has joined." })
  @PerViewer()
  async isJoined(
    @Root() competition: CompetitionRow,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<boolean> {
    return (await ctx.loaders.joined.load(competition.id)) !== null;
  }

  @FieldResolver(() => LeaderboardConnection, {
    description: "Participants by score, highest first; ties share a rank, in a stable order.",
  })
  leaderboard(
    @Root() competition: CompetitionRow,
    @PageSizeArg() first: number | null | undefined,
    @AfterCursorArg("A `LeaderboardEdge.cursor`: the page continues after it.")
    after: string | null | undefined,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<Connection<LeaderboardEntrySource>> {
    return ctx.leaderboards.page(competition.id, first, after);
  }

  @FieldResolver(() => Standing, {
    nullable: true,
    description: "Where the viewer stands; null when they have not joined.",
  })
  @PerViewer()
  myStanding(
    @Root() competition: CompetitionRow,
    @Ctx() ctx: CompetitionsContext,
  ): Promise<StandingSource | null> {
    return ctx.leaderboards.standing(competition.id, requireViewer(ctx).id);
  }
}
