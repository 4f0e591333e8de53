import { PageInfo } from "@pulse/platform/subgraph";
import { Field, Float, Int, ObjectType } from "type-graphql";
import { Competition } from "../competition/competition.type.ts";
import { User } from "../user/user.type.ts";

/** Where a person stands in a competition, as resolvers receive it. */
export interface StandingSource {
  competitionId: string;
  rank: number;
  scoreMilli: bigint;
}

@ObjectType("Standing", { description: "Where a person stands in a competition." })
export class Standing {
  @Field(() => Competition, { description: "The competition." })
  competition!: Competition;

  @Field(() => Int, {
    description: "1 + the number of participants with a strictly higher score (ties share a rank).",
  })
  rank!: number;

  @Field(() => Float, { description: "Their score, in the competition metric's unit." })
  score!: number;
}

/** A leaderboard entry as resolvers receive it. */
export interface LeaderboardEntrySource {
  userId: string;
  rank: number;
  scoreMilli: bigint;
}

@ObjectType("LeaderboardEntry", { description: "A participant on a competition's leaderboard." })
export class LeaderboardEntry {
  @Field(() => Int, {
    description: "1 + the number of participants with a strictly higher score (ties share a rank).",
  })
  rank!: number;

  @Field(() => Float, { description: "Their score, in the competition metric's unit." })
  score!: number;

  @Field(() => User, { description: "The participant." })
  user!: User;
}

@ObjectType("LeaderboardEdge", { description: "An entry in a page of a leaderboard." })
export class LeaderboardEdge {
  @Field(() => String, { description: "Opaque cursor of this entry." })
  cursor!: string;

  @Field(() => LeaderboardEntry, { description: "The entry." })
  node!: LeaderboardEntry;
}

@ObjectType("LeaderboardConnection", {
  description: "A page of a leaderboard: highest score first, ties in a stable order.",
})
export class LeaderboardConnection {
  @Field(() => [LeaderboardEdge], { description: "The entries of this page, in order." })
  edges!: LeaderboardEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}

/** A rank change as resolvers receive it. */
export interface RankChangeSource {
  competitionId: string;
  userId: string;
  rank: number | null;
  previousRank: number | null;
  scoreMilli: bigint | null;
}

@ObjectType("RankChange", { description: "A participant's rank or score changed." })
export class RankChange {
  @Field(() => Competition, { description: "The competition." })
  competition!: Competition;

  @Field(() => User, { description: "Whose rank changed." })
  user!: User;

  @Field(() => Int, {
    nullable: true,
    description: "Their rank now; null when they left the competition.",
  })
  rank!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The rank of the previous event this subscription delivered about them; null in the first one (entered the top, or the current standing on subscribing).",
  })
  previousRank!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Their score now; null when they left the competition.",
  })
  score!: number | null;
}
