// The people the capacity benchmark sends requests as, reusing the other benchmarks' seeds:
// - chatters: accounts and profiles (subscriptions/seed.ts) with a real password, matched in
//   pairs whose conversations chat opened from `match.created` events; they sign in, read
//   themselves, send and read messages, and hold the sockets;
// - a discovery world (discovery/seed.ts) around German cities, whose first people have a swipe
//   history and discover and swipe;
// - a running competition whose participants are the world's people; the first ones sync.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@pulse/platform/subgraph";
import type { Redis } from "ioredis";
import { hashPassword } from "../../../subgraphs/identity/src/password/password-hasher.adapter.ts";
import { seedPeople as seedWorld, seedSwipes } from "../discovery/seed.ts";
import {
  seedConversations,
  seedPeople,
  type Conversation,
  type Person,
} from "../subscriptions/seed.ts";
import { mintAccessTokens } from "../subscriptions/tokens.ts";

export const PASSWORD = "Bench!Passw0rd";
const HOUR = 3_600_000;

export interface Actor {
  id: string;
  token: string;
}

export interface Population {
  /** Person 2k talks with person 2k+1 in conversation k. */
  chatters: (Person & { token: string })[];
  conversations: Conversation[];
  /** Discovery's searchers, each with a history of swipes. */
  searchers: Actor[];
  /** For each searcher, people of the world it has not swiped yet. */
  swipeTargets: string[][];
  competitionId: string;
  /** Participants of the competition, who sync activity. */
  athletes: Actor[];
}

export interface PopulationSize {
  chatters: number;
  world: number;
  searchers: number;
  swipesEach: number;
  /** Swipes each searcher will make in the run. */
  swipesPerSearcher: number;
  participants: number;
  athletes: number;
}

export async function seedPopulation(
  prisma: PrismaClient,
  redis: Redis,
  redisPrefix: string,
  signingKeyPem: string,
  size: PopulationSize,
): Promise<Population> {
  const people = await seedPeople(prisma, size.chatters, await hashPassword(PASSWORD));
  const conversations = await seedConversations(prisma, redis, redisPrefix, people);
  const chatTokens = await mintAccessTokens(signingKeyPem, people);

  await seedWorld(prisma, size.world);
  const world = await prisma.$queryRaw<{ id: string }[]>`
    SELECT user_id::text AS id FROM discovery.candidate ORDER BY random()`;
  const worldIds = world.map((row) => row.id);
  const searcherIds = worldIds.slice(0, size.searchers);
  await seedSwipes(prisma, searcherIds, size.swipesEach);
  const unswiped = await prisma.$queryRaw<{ searcher: string; targets: string[] }[]>`
    SELECT searcher, array_agg(target) AS targets
    FROM unnest(${searcherIds}::text[]) AS s (searcher)
    CROSS JOIN LATERAL (
      SELECT c.user_id::text AS target FROM discovery.candidate c
      WHERE c.user_id <> s.searcher::uuid AND NOT EXISTS (
        SELECT 1 FROM discovery.swipe w
        WHERE w.swiper_id = s.searcher::uuid AND w.target_id = c.user_id)
      ORDER BY random() LIMIT ${size.swipesPerSearcher}
    ) AS t
    GROUP BY searcher`;
  const targetsOf = new Map(unswiped.map((row) => [row.searcher, row.targets]));

  const competitionId = randomUUID();
  await prisma.$executeRaw`INSERT INTO competitions.competition
      (id, name, metric, starts_at, ends_at, created_by, participant_count)
    VALUES (${competitionId}::uuid, 'Capacity steps', 'STEPS', ${new Date(Date.now() - HOUR)},
      ${new Date(Date.now() + 24 * HOUR)}, ${worldIds[0]!}::uuid, ${size.participants})`;
  const participantIds = worldIds.slice(0, size.participants);
  await prisma.$executeRaw`INSERT INTO competitions.participant
      (competition_id, user_id, score_milli, version)
    SELECT ${competitionId}::uuid, user_id::uuid, floor(random() * 20000) * 1000,
      nextval('competitions.score_version_seq')
    FROM unnest(${participantIds}::text[]) AS user_id`;

  const actors = async (ids: string[]) => {
    const tokens = await mintAccessTokens(
      signingKeyPem,
      ids.map((id) => ({ id, displayName: id })),
    );
    return ids.map((id, index) => ({ id, token: tokens[index]! }));
  };
  return {
    chatters: people.map((person, index) => ({ ...person, token: chatTokens[index]! })),
    conversations,
    searchers: await actors(searcherIds),
    swipeTargets: searcherIds.map((id) => targetsOf.get(id)!),
    competitionId,
    athletes: await actors(participantIds.slice(0, size.athletes)),
  };
}
