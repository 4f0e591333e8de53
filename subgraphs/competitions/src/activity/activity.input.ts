import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Field, Float, InputType, registerEnumType } from "type-graphql";
import { z } from "zod";
import { METRICS } from "../competition/competition.rules.ts";
import { CompetitionMetric } from "../competition/competition.type.ts";
import {
  CLOCK_SKEW_MS,
  implausibility,
  MAX_RECORD_HOURS,
  MAX_RECORDS_PER_SYNC,
} from "./activity.rules.ts";

export enum ActivitySource {
  GOOGLE_FIT = "GOOGLE_FIT",
  APPLE_HEALTH = "APPLE_HEALTH",
  MANUAL = "MANUAL",
}
registerEnumType(ActivitySource, {
  name: "ActivitySource",
  description: "Where activity records come from.",
  valuesConfig: {
    GOOGLE_FIT: { description: "Google Fit." },
    APPLE_HEALTH: { description: "Apple Health." },
    MANUAL: { description: "Entered by the person." },
  },
});

@InputType("ActivityRecordInput", { description: "One activity record of a health app." })
export class ActivityRecordInput {
  @Field(() => String, {
    description:
      "The source's id of the record: sending it again is a duplicate, or, with another value, a correction.",
  })
  externalId!: string;

  @Field(() => CompetitionMetric, { description: "What it measures." })
  metric!: CompetitionMetric;

  @Field(() => Float, {
    description: "How much, in the metric's unit; plausible for its duration.",
  })
  value!: number;

  @Field(() => DateTimeScalar, { description: "When the activity started." })
  startedAt!: Date;

  @Field(() => DateTimeScalar, {
    description: "When it ended: after `startedAt`, not in the future, at most 24 hours later.",
  })
  endedAt!: Date;
}

@InputType("SyncActivityInput", { description: "Activity records from one source." })
export class SyncActivityInput {
  @Field(() => ActivitySource, { description: "Where the records come from." })
  source!: ActivitySource;

  @Field(() => [ActivityRecordInput], { description: "At most 500 records." })
  records!: ActivityRecordInput[];
}

const HOUR_MS = 60 * 60 * 1000;

/** The rules of a sync; `now` is the server's clock. Each problem names its record's field. */
export function syncActivitySchema(now: Date) {
  const record = z
    .object({
      externalId: z.string().trim().min(1, "externalId must not be empty").max(200),
      metric: z.enum(METRICS),
      value: z.number().nonnegative("The value must not be negative"),
      startedAt: z.date(),
      endedAt: z
        .date()
        .refine(
          (endedAt) => endedAt.getTime() <= now.getTime() + CLOCK_SKEW_MS,
          "The record must not end in the future",
        ),
    })
    .superRefine((input, issues) => {
      const span = input.endedAt.getTime() - input.startedAt.getTime();
      if (span <= 0) {
        issues.addIssue({
          code: "custom",
          path: ["endedAt"],
          message: "endedAt must be after startedAt",
        });
        return;
      }
      if (span > MAX_RECORD_HOURS * HOUR_MS) {
        issues.addIssue({
          code: "custom",
          path: ["endedAt"],
          message: `A record spans at most ${MAX_RECORD_HOURS} hours`,
        });
        return;
      }
      const problem = implausibility(input);
      if (problem) issues.addIssue({ code: "custom", path: ["value"], message: problem });
    });
  return z.object({
    source: z.enum(["GOOGLE_FIT", "APPLE_HEALTH", "MANUAL"]),
    records: z
      .array(record)
      .max(MAX_RECORDS_PER_SYNC, `At most ${MAX_RECORDS_PER_SYNC} records per sync`)
      .superRefine((records, issues) => {
        const seen = new Set<string>();
        records.forEach((item, index) => {
          if (seen.has(item.externalId)) {
            issues.addIssue({
              code: "custom",
              path: [index, "externalId"],
              message: "The same externalId twice in one sync",
            });
          }
          seen.add(item.externalId);
        });
      }),
  });
}

export type ActivitySync = z.output<ReturnType<typeof syncActivitySchema>>;
export type ActivityRecord = ActivitySync["records"][number];
