import { randomBytes, randomUUID } from "node:crypto";
import {
  countSubscribers,
  createLogger,
  createRedis,
  deleteKeysWithPrefix,
  type RedisConnection,
} from "@pulse/platform/server";
import { createPrismaClient, LivePubSub, type PrismaClient } from "@pulse/platform/subgraph";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LeaderboardIndex } from "./leaderboard-index.ts";
import { rankChangedTopic, type BoardChange } from "./rank-changed.topic.ts";

// The board's scripts publish its changes themselves (SPUBLISH on a cluster), which a cluster
// allows only on a channel in the slot of the script's keys: the channel carries the board's
// hash tag. Against the run's cluster (global setup).

const clusterUrl = inject("redisClusterUrl");
const logger = createLogger("test", "silent");
const redisPrefix = `${inject("redisPrefix")}board-cluster-${randomBytes(4).toString("hex")}:`;
let prisma: PrismaClient;
let redis: RedisConnection;
let live: LivePubSub;
let index: LeaderboardIndex;

beforeAll(() => {
  if (!clusterUrl) return;
  prisma = createPrismaClient(inject("databaseUrl"), { maxConnections: 2 });
  redis = createRedis(clusterUrl, "board-cluster-test", logger);
  live = new LivePubSub(clusterUrl, redisPrefix, logger);
  index = new LeaderboardIndex({
    prisma,
    redis,
    redisPrefix,
    logger,
    channel: (topic) => live.channel(topic),
  });
});
afterAll(async () => {
  await live?.close();
  if (redis) await deleteKeysWithPrefix(redis, redisPrefix);
  redis?.disconnect();
  await prisma?.$disconnect();
});

describe.skipIf(!clusterUrl)("a leaderboard on a Redis Cluster", () => {
  it("keeps a board's keys and channel in one slot, so its scripts announce every change", async () => {
    // Boards of several competitions: their slots spread over the masters.
    for (const competitionId of [randomUUID(), randomUUID(), randomUUID()]) {
      const keys = index.keys(competitionId);
      const slots = await Promise.all(
        [...Object.values(keys), index.channel(competitionId)].map((key) =>
          redis.cluster("KEYSLOT", key),
        ),
      );
      expect(new Set(slots).size).toBe(1);

      const changes = await live.subscribe<BoardChange>(rankChangedTopic(competitionId));
      expect(await countSubscribers(redis, [index.channel(competitionId)])).toEqual([1]);
      // No participant in Postgres: the rebuild loads none and announces a reset (READY).
      await index.ensureReady(competitionId);
      expect((await changes.next()).value).toMatchObject({ kind: "reset" });
      const userId = randomUUID();
      const ranks = await index.apply(competitionId, [{ userId, version: 1n, scoreMilli: 5_000n }]);
      expect(ranks).toEqual([1]);
      // APPLY announced it in the same step.
      expect((await changes.next()).value).toMatchObject({
        kind: "move",
        userId,
        newRank: 1,
        newScore: 5_000,
      });
      await changes.return?.();
    }
  });
});
