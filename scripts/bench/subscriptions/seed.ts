// The benchmark's population: people written straight into identity's and profiles' tables
// (registering 10,000 people would hash 10,000 passwords), and their conversations opened the
// way production opens them, by chat consuming `match.created` domain events.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { streamKey, type DomainEvent, type PrismaClient } from "@pulse/platform/subgraph";
import type { Redis } from "ioredis";
import type { Conversation as ConversationRow } from "@pulse/db";

export interface Person {
  id: string;
  displayName: string;
}

export interface Conversation {
  id: string;
  /** Indexes into the people list; person 2k talks with person 2k+1. */
  people: readonly [number, number];
  /** Chat's row, as opened: what a live payload carries along. */
  row: ConversationRow;
}

/** Any valid-looking argon2id hash: nobody signs in with a password here. */
const PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0YmVuY2g$2m7Q9kQ0w2bZ0lqzC3mC2QeQk2i1l6m0n0r3s0x4H7c";
const ROWS_PER_INSERT = 2_000;
const CONVERSATIONS_TIMEOUT_MS = 300_000;

/** The email of the `index`th person `seedPeople` inserts. */
export const benchEmail = (index: number): string => `bench-${index}@pulse.bench`;

/**
 * Inserts `count` accounts and profiles (no photos) and returns them in order. Their password
 * hash is `passwordHash`: a real one for people who will sign in, by default one nobody can.
 */
export async function seedPeople(
  prisma: PrismaClient,
  count: number,
  passwordHash = PASSWORD_HASH,
): Promise<Person[]> {
  const people = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    displayName: `Bench Person ${index}`,
  }));
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const slice = people.slice(start, start + ROWS_PER_INSERT);
    await prisma.account.createMany({
      data: slice.map((person, offset) => ({
        id: person.id,
        email: benchEmail(start + offset),
        passwordHash,
      })),
    });
    await prisma.profile.createMany({
      data: slice.map((person, offset) => {
        const female = (start + offset) % 2 === 0;
        return {
          userId: person.id,
          displayName: person.displayName,
          username: `bench_${start + offset}`,
          usernameKey: `bench_${start + offset}`,
          birthdate: new Date("1995-06-15"),
          gender: female ? "FEMALE" : "MALE",
          interestedIn: [female ? "MALE" : "FEMALE"],
          minAge: 18,
          maxAge: 99,
          maxDistanceKm: 50,
          preferredGenders: [female ? "MALE" : "FEMALE"],
        } as const;
      }),
    });
  }
  return people;
}

/**
 * Matches person 2k with person 2k+1 by publishing `match.created` envelopes on the event
 * stream, as discovery's relay would, and waits for chat to open every conversation.
 */
export async function seedConversations(
  prisma: PrismaClient,
  redis: Redis,
  redisPrefix: string,
  people: Person[],
): Promise<Conversation[]> {
  const matches = new Map<string, readonly [number, number]>();
  const pipeline = redis.pipeline();
  const stream = streamKey(redisPrefix, "match.created");
  for (let index = 0; index + 1 < people.length; index += 2) {
    const matchId = randomUUID();
    matches.set(matchId, [index, index + 1]);
    const at = new Date().toISOString();
    const event: DomainEvent<"match.created"> = {
      id: randomUUID(),
      type: "match.created",
      source: "discovery",
      occurredAt: at,
      payload: { matchId, userIds: [people[index]!.id, people[index + 1]!.id], matchedAt: at },
    };
    pipeline.xadd(stream, "*", "event", JSON.stringify(event));
  }
  await pipeline.exec();

  const deadline = Date.now() + CONVERSATIONS_TIMEOUT_MS;
  for (;;) {
    const opened = await prisma.conversation.count();
    if (opened >= matches.size) break;
    if (Date.now() > deadline) {
      throw new Error(`chat opened ${opened} of ${matches.size} conversations in time`);
    }
    await sleep(500);
  }
  const rows = await prisma.conversation.findMany();
  const conversations = rows.map((row) => ({ id: row.id, people: matches.get(row.matchId)!, row }));
  // In people order, so the first N/2 conversations are exactly those of the first N people.
  return conversations.sort((a, b) => a.people[0] - b.people[0]);
}
