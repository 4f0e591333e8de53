import { DateTimeScalar } from "@pulse/platform/subgraph";
import { Field, InputType, Int } from "type-graphql";
import { z } from "zod";
import {
  MAX_ENTRY_FEE_CENTS,
  MAX_PARTICIPANTS_LIMIT,
  MAX_WINDOW_DAYS,
  METRICS,
} from "./competition.rules.ts";
import { CompetitionMetric } from "./competition.type.ts";

@InputType("CreateCompetitionInput", { description: "A new competition." })
export class CreateCompetitionInput {
  @Field(() => String, { description: "1..80 characters after trimming." })
  name!: string;

  @Field(() => String, { nullable: true, description: "At most 1000 characters." })
  description?: string | null;

  @Field(() => CompetitionMetric, { description: "What it measures." })
  metric!: CompetitionMetric;

  @Field(() => DateTimeScalar, { description: "When activity starts to count." })
  startsAt!: Date;

  @Field(() => DateTimeScalar, {
    description:
      "When it ends: after `startsAt`, in the future, at most 366 days after `startsAt`.",
  })
  endsAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description: "Entry fee in the currency's smallest unit; 0 or absent: free.",
  })
  entryFeeCents?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "ISO 4217 currency of the fee; `usd` by default.",
  })
  currency?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "How many people may join at most (2 or more).",
  })
  maxParticipants?: number | null;
}

/** ISO 4217 codes this runtime knows (lower case). */
const CURRENCIES = new Set(Intl.supportedValuesOf("currency").map((code) => code.toLowerCase()));
const DAY_MS = 24 * 60 * 60 * 1000;

/** The rules of a new competition; `now` is the server's clock. */
export function createCompetitionSchema(now: Date) {
  return z
    .object({
      name: z
        .string()
        .trim()
        .min(1, "The name must not be empty")
        .max(80, "The name is at most 80 characters"),
      description: z
        .string()
        .trim()
        .max(1000, "The description is at most 1000 characters")
        .nullish()
        .transform((value) => (value ? value : null)),
      metric: z.enum(METRICS),
      startsAt: z.date(),
      endsAt: z.date().refine((endsAt) => endsAt > now, "The competition must end in the future"),
      entryFeeCents: z
        .number()
        .int()
        .min(0, "The entry fee must not be negative")
        .max(MAX_ENTRY_FEE_CENTS, `The entry fee is at most ${MAX_ENTRY_FEE_CENTS}`)
        .nullish()
        .transform((value) => value ?? 0),
      currency: z
        .string()
        .trim()
        .toLowerCase()
        .refine((code) => CURRENCIES.has(code), "Not an ISO 4217 currency code")
        .nullish()
        .transform((value) => value ?? "usd"),
      maxParticipants: z
        .number()
        .int()
        .min(2, "A competition needs room for at least 2 people")
        .max(MAX_PARTICIPANTS_LIMIT, `At most ${MAX_PARTICIPANTS_LIMIT} participants`)
        .nullish()
        .transform((value) => value ?? null),
    })
    .superRefine((input, issues) => {
      if (input.endsAt <= input.startsAt) {
        issues.addIssue({
          code: "custom",
          path: ["endsAt"],
          message: "endsAt must be after startsAt",
        });
      } else if (input.endsAt.getTime() - input.startsAt.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
        issues.addIssue({
          code: "custom",
          path: ["endsAt"],
          message: `A competition lasts at most ${MAX_WINDOW_DAYS} days`,
        });
      }
    });
}

export type NewCompetition = z.output<ReturnType<typeof createCompetitionSchema>>;
