import { placeOfItsOwn } from "@pulse/testkit/places";
import { randomUUID } from "node:crypto";
import { type Viewer } from "@pulse/platform/server";
import { Outbox, type DomainEventPayload, type DomainEventType } from "@pulse/platform/subgraph";
import { connectHarness, type HarnessInfrastructure } from "@pulse/testkit/subgraph-harness";
import { DiscoverService } from "../candidate/discover.service.ts";
import { discoveryEventHandlers } from "../events/handlers.ts";
import { MatchService } from "../match/match.service.ts";
import { DailyLimits } from "../swipe/daily-limits.service.ts";
import { SwipeService } from "../swipe/swipe.service.ts";

/**
 * Discovery's services on this run's database and a Redis prefix of their own, for integration
 * tests that feed the read model with events (as profiles would) and call the services.
 */
export interface DiscoveryHarness extends Omit<HarnessInfrastructure, "deliver" | "logger"> {
  discover: DiscoverService;
  swipes: SwipeService;
  matches: MatchService;
  /** Handles an event the way the consumer does, in one transaction. */
  deliver<Type extends DomainEventType>(
    type: Type,
    payload: DomainEventPayload<Type>,
  ): Promise<void>;
}

export function startDiscoveryHarness(): DiscoveryHarness {
  const { deliver, ...infra } = connectHarness("discovery");
  const { prisma, redis, redisPrefix, live, logger } = infra;
  const matches = new MatchService({ prisma, outbox: new Outbox("discovery"), live, logger });
  const handlers = discoveryEventHandlers(matches);
  return {
    ...infra,
    matches,
    discover: new DiscoverService(prisma, infra.reads),
    swipes: new SwipeService({ prisma, matches, limits: new DailyLimits(redis, redisPrefix) }),
    deliver: (type, payload) => deliver(handlers, type, payload),
  };
}

/** A point `km` kilometres north of `place`. */
export function northOf(place: { latitude: number; longitude: number }, km: number) {
  return { latitude: place.latitude + km / 111.195, longitude: place.longitude };
}

/** A birthdate that makes someone `years` old today (UTC), six months past their birthday. */
export function bornYearsAgo(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCMonth(date.getUTCMonth() - 6);
  return date.toISOString().slice(0, 10);
}

export type Snapshot = DomainEventPayload<"profile.changed">;

/** A `profile.changed` snapshot of a 30-year-old woman looking for men 25..40 within 50 km. */
export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    userId: randomUUID(),
    version: 1,
    gender: "FEMALE",
    interestedIn: ["MALE"],
    birthdate: bornYearsAgo(30),
    location: { latitude: 0, longitude: 0 },
    preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["MALE"] },
    completeness: 0.5,
    ...overrides,
  };
}

/** Feeds a person into the read model through `profile.changed`; returns them as a viewer. */
export async function addPerson(
  harness: DiscoveryHarness,
  overrides: Partial<Snapshot> = {},
): Promise<Viewer> {
  const payload = snapshot(overrides);
  await harness.deliver("profile.changed", payload);
  return { id: payload.userId, role: "USER", sessionId: randomUUID() };
}

/** A man and a woman, 30, 5 km apart, each in the other's preferences. */
export async function addCouple(harness: DiscoveryHarness): Promise<[Viewer, Viewer]> {
  const place = await placeOfItsOwn(harness.redis);
  return Promise.all([
    addPerson(harness, { location: place }),
    addPerson(harness, {
      gender: "MALE",
      interestedIn: ["FEMALE"],
      location: northOf(place, 5),
      preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["FEMALE"] },
    }),
  ]);
}

/** Makes `a` and `b` a match by liking each other; returns the match id. */
export async function matchPair(harness: DiscoveryHarness, a: Viewer, b: Viewer): Promise<string> {
  await harness.swipes.swipe(a, { targetUserId: b.id, action: "LIKE" });
  const result = await harness.swipes.swipe(b, { targetUserId: a.id, action: "LIKE" });
  if (!result.match) throw new Error("expected a match");
  return result.match.id;
}

/** The payloads of the `match.ended` events recorded for a match. */
export async function matchEndedEvents(harness: DiscoveryHarness, matchId: string) {
  const events = await harness.prisma.discoveryOutboxEvent.findMany({
    where: { type: "match.ended", payload: { path: ["matchId"], equals: matchId } },
  });
  return events.map((event) => event.payload);
}

/** The match ids of a page of matches, in order. */
export function matchIds(connection: { edges: { node: { id: string } }[] }): string[] {
  return connection.edges.map((edge) => edge.node.id);
}
