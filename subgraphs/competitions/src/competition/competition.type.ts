import type { Competition as CompetitionRow } from "@pulse/db";
import { DateTimeScalar, PageInfo } from "@pulse/platform/subgraph";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum CompetitionMetric {
  STEPS = "STEPS",
  DISTANCE_METERS = "DISTANCE_METERS",
  ACTIVE_MINUTES = "ACTIVE_MINUTES",
  CALORIES = "CALORIES",
}
registerEnumType(CompetitionMetric, {
  name: "CompetitionMetric",
  description: "What a competition measures.",
  valuesConfig: {
    STEPS: { description: "Steps." },
    DISTANCE_METERS: { description: "Distance covered, in metres." },
    ACTIVE_MINUTES: { description: "Minutes of activity." },
    CALORIES: { description: "Active energy burned, in kilocalories." },
  },
});

export enum CompetitionStatus {
  UPCOMING = "UPCOMING",
  ACTIVE = "ACTIVE",
  FINISHED = "FINISHED",
}
registerEnumType(CompetitionStatus, {
  name: "CompetitionStatus",
  description: "Where a competition stands, derived from its window and the clock.",
  valuesConfig: {
    UPCOMING: { description: "Before `startsAt`: people may join." },
    ACTIVE: { description: "Between `startsAt` and `endsAt`: activity counts, people may join." },
    FINISHED: { description: "From `endsAt`: standings are final." },
  },
});

@Directive('@key(fields: "id")')
@ObjectType("Competition", {
  description: "A fitness competition: who moves the most of a metric within a window.",
})
export class Competition {
  @Field(() => ID, { description: "Stable unique id." })
  id!: string;

  @Field(() => String, { description: "Its name, 1..80 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "What it is about, if its creator said." })
  description!: string | null;

  @Field(() => CompetitionMetric, { description: "What it measures." })
  metric!: CompetitionMetric;

  @Field(() => DateTimeScalar, { description: "When activity starts to count." })
  startsAt!: Date;

  @Field(() => DateTimeScalar, {
    description: "When activity stops counting; the standings are then final.",
  })
  endsAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description: "How many people may join at most; null: no limit.",
  })
  maxParticipants!: number | null;
}

/** A competition as its resolvers receive it: its row. */
export type CompetitionSource = CompetitionRow;

@ObjectType("CompetitionEdge", { description: "A competition in a page of competitions." })
export class CompetitionEdge {
  @Field(() => String, { description: "Opaque cursor of this competition." })
  cursor!: string;

  @Field(() => Competition, { description: "The competition." })
  node!: CompetitionRow;
}

@ObjectType("CompetitionConnection", { description: "A page of competitions." })
export class CompetitionConnection {
  @Field(() => [CompetitionEdge], { description: "The competitions of this page, in order." })
  edges!: CompetitionEdge[];

  @Field(() => PageInfo, { description: "Where this page ends and whether more follow." })
  pageInfo!: PageInfo;
}
