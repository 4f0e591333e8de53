import { z } from "zod";

/**
 * Every domain event one subgraph tells others about, with its payload schema. This is the
 * contract between subgraphs: producers validate before writing, consumers before handling.
 */
const gender = z.enum(["FEMALE", "MALE", "NON_BINARY"]);
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const domainEventSchemas = {
  /** An account was deleted: every subgraph forgets or anonymises the person. */
  "user.deleted": z.object({ userId: z.uuid() }),

  /**
   * What discovery needs to know of a person, as a whole snapshot after any change to their
   * profile, preferences, location or photos. `version` grows with every change of that person,
   * so a consumer applies a snapshot only when it is newer than the one it holds.
   */
  "profile.changed": z.object({
    userId: z.uuid(),
    version: z.number().int().positive(),
    gender,
    interestedIn: z.array(gender),
    birthdate: calendarDate,
    /** Null until the person shares a location. */
    location: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
    preferences: z.object({
      minAge: z.number().int(),
      maxAge: z.number().int(),
      maxDistanceKm: z.number().int(),
      genders: z.array(gender),
    }),
    /** 0..1, as `Profile.completeness`. */
    completeness: z.number().min(0).max(1),
  }),

  /** `blockerId` blocked `blockedId`: each disappears from the other's discovery, matches and chat. */
  "user.blocked": z.object({ blockerId: z.uuid(), blockedId: z.uuid(), at: z.iso.datetime() }),
  /** The block was lifted; `at` orders it against the block it lifts. */
  "user.unblocked": z.object({ blockerId: z.uuid(), blockedId: z.uuid(), at: z.iso.datetime() }),

  /** Two people liked each other; chat opens their conversation. */
  "match.created": z.object({
    matchId: z.uuid(),
    userIds: z.tuple([z.uuid(), z.uuid()]),
    matchedAt: z.iso.datetime(),
  }),
  /** A match ended (unmatch, block or deletion); chat closes the conversation. */
  "match.ended": z.object({
    matchId: z.uuid(),
    userIds: z.tuple([z.uuid(), z.uuid()]),
    endedAt: z.iso.datetime(),
    reason: z.enum(["UNMATCHED", "BLOCKED", "USER_DELETED"]),
  }),

  /**
   * A competition was created. Billing keeps what it needs to sell its entry (the fee is never
   * taken from a client); `entryFeeCents` 0 means free.
   */
  "competition.created": z.object({
    competitionId: z.uuid(),
    name: z.string(),
    entryFeeCents: z.number().int().nonnegative(),
    /** ISO 4217, lower case (`usd`), as Stripe writes it. */
    currency: z.string().length(3),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  }),

  /** Stripe confirmed a competition's entry fee: competitions joins the person. */
  "entry.paid": z.object({
    paymentId: z.uuid(),
    competitionId: z.uuid(),
    userId: z.uuid(),
    amountCents: z.number().int().positive(),
    currency: z.string().length(3),
    paidAt: z.iso.datetime(),
  }),
  /**
   * Competitions could not seat a paid entry (the competition filled up or finished meanwhile):
   * billing refunds the payment through Stripe.
   */
  "entry.declined": z.object({
    paymentId: z.uuid(),
    competitionId: z.uuid(),
    userId: z.uuid(),
    reason: z.enum(["FULL", "FINISHED"]),
  }),
  /** A paid entry was refunded: the entry is no longer paid (competitions removes the person). */
  "entry.refunded": z.object({
    paymentId: z.uuid(),
    competitionId: z.uuid(),
    userId: z.uuid(),
    refundedAt: z.iso.datetime(),
  }),

  /**
   * A person's membership as a whole after any change: state, not a notification. `version`
   * grows with every change of that person, so a consumer applies a snapshot only when it is
   * newer than the one it holds (events arrive late and out of order).
   */
  "membership.changed": z.object({
    userId: z.uuid(),
    version: z.number().int().positive(),
    isPremium: z.boolean(),
    /** Null when the person has no membership (never had one, or it was deleted). */
    status: z.enum(["ACTIVE", "TRIALING", "PAST_DUE", "CANCELED"]).nullable(),
    planId: z.string().nullable(),
    currentPeriodEnd: z.iso.datetime().nullable(),
  }),
} as const;

export type DomainEventType = keyof typeof domainEventSchemas;
export type DomainEventPayload<Type extends DomainEventType> = z.infer<
  (typeof domainEventSchemas)[Type]
>;

/** An event as it travels through the outbox and Redis Streams. */
export interface DomainEvent<Type extends DomainEventType = DomainEventType> {
  /** Unique id, the idempotency key consumers deduplicate on. */
  id: string;
  type: Type;
  /** The subgraph that produced it. */
  source: string;
  occurredAt: string;
  payload: DomainEventPayload<Type>;
}

/**
 * The Redis stream an event type travels on. Every stream shares the hash tag `{events}`, so on a
 * cluster they live in one slot: a consumer reads all of its streams in one XREADGROUP, and a
 * relay writes a batch of events of several types in one pipeline.
 */
export function streamKey(prefix: string, type: DomainEventType): string {
  return `${prefix}{events}:${type}`;
}

/** Where events go that kept failing; in the streams' slot. */
export function deadLetterKey(prefix: string): string {
  return `${prefix}{events}:dead-letter`;
}

/**
 * The stream an event type travelled on before the hash tag (`<prefix>events:<type>`). On one
 * Redis, consumers also read it for one release, so nothing the previous release's relays
 * published there is left behind (expand/contract, ADR 0023); remove it in the next release.
 * A cluster never had it.
 */
export function legacyStreamKey(prefix: string, type: DomainEventType): string {
  return `${prefix}events:${type}`;
}

/**
 * The field that marks an entry of an old-named stream as a relay's copy of one on the new
 * stream (its key the value): for the previous release's consumers only. Remove with
 * {@link legacyStreamKey}.
 */
export const COPY_FIELD = "copy-of";
