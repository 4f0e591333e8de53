import { describe, expect, it } from "vitest";
import {
  COST_CENTRES,
  SERVICES,
  type CapacityFigures,
  type Service,
  type UnitCost,
} from "./figures.ts";
import { limits, planScale, type UsageProfile } from "./model.ts";

const zero = <Key extends string>(keys: readonly Key[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<Key, number>;

function cost(cpuMs: Partial<UnitCost["cpuMs"]>, statements = 0, redisCommands = 0): UnitCost {
  return {
    count: 100,
    p50Ms: 1,
    cpuMs: { ...zero(COST_CENTRES), ...cpuMs },
    statements: statements ? { identity: statements } : {},
    redisCommands,
    topRedisCommands: "",
  };
}

const rss100 = Object.fromEntries(SERVICES.map((name) => [name, 100])) as Record<Service, number>;

/** Only `Viewer` costs anything: 1 ms of the gateway, 0.25 ms of identity, 0.2 ms of Postgres. */
const figures: CapacityFigures = {
  run: {
    command: "test",
    date: "2026-12-07",
    commit: "abc",
    machine: "none",
    node: "20",
    loadAverage: { start: 0, end: 0 },
  },
  idle: { cpuMsPerSecond: zero(COST_CENTRES), statementsPerSecond: {}, redisCommandsPerSecond: 0 },
  operations: { Viewer: cost({ gateway: 1, identity: 0.25, postgres: 0.2 }, 1, 2) },
  delivery: cost({}),
  openSocketCpuMs: zero(COST_CENTRES),
  memory: {
    sockets: 100,
    readyRssMiB: rss100,
    afterRssMiB: rss100,
    idleSocket: { rssKiB: 50, heapKiB: 40 },
    subscriptions: {
      OnMessageAdded: { gateway: { rssKiB: 30, heapKiB: 20 }, chat: { rssKiB: 20, heapKiB: 10 } },
    },
  },
  redisUsPerCommand: 10,
  postgresUsPerStatement: 100,
};

/** One `Viewer` a second per user, one subscription each. */
const usage: UsageProfile = {
  requestsPerMinute: { Viewer: 60 },
  subscriptions: ["OnMessageAdded"],
  deliveriesPerMessage: 2,
};

describe("the capacity model", () => {
  it("sizes pods by CPU at the autoscaler's target and by memory, whichever needs more", () => {
    const plan = planScale(figures, usage, 10_000);
    const gateway = plan.services.find((service) => service.name === "gateway")!;
    // 1 core × 70 % = 0.7 cores, 1 ms a second per user: 700 users a pod.
    expect(gateway).toMatchObject({ cores: 10, podsForCpu: 15, maxReplicas: 20 });
    // (512 − 141) MiB spare above a compiled gateway's RSS, 80 KiB per user: 4,748 users a pod.
    expect(gateway.podsForMemory).toBe(3);
    expect(gateway.pods).toBe(15);
    const chat = plan.services.find((service) => service.name === "chat")!;
    // Chat costs no CPU, 20 KiB per user in 189 MiB spare: 9,676 users a pod.
    expect(chat).toMatchObject({ podsForCpu: 1, podsForMemory: 2, pods: 2 });
    expect(planScale(figures, usage, 1_000_000).services[4]).toMatchObject({
      name: "chat",
      podsForMemory: 104,
    });
  });

  it("counts Redis shards at half a core and Postgres servers by reads and writes", () => {
    const plan = planScale(figures, usage, 1_000_000);
    // 2 commands a second per user, 10 µs each: 50,000 a second per shard at 50 %.
    expect(plan.redis).toEqual({ commandsPerSecond: 2_000_000, shards: 40 });
    // Viewer is a query: 0.2 ms a second per user, 4.8 cores a server (8 at 60 %).
    expect(plan.postgres).toMatchObject({
      statementsPerSecond: 1_000_000,
      readCores: 200,
      replicas: 42,
      writeCores: 0,
      primaries: 1,
    });
  });

  it("lists what runs out first, pods before what pods cannot fix", () => {
    const found = limits(figures, usage);
    expect(found[0]).toMatchObject({ resource: "gateway pod, CPU", scalesOut: true });
    expect(found[0]!.usersPerUnit).toBeCloseTo(700);
    const fixed = found.find((limit) => !limit.scalesOut)!;
    // Redis: 25,000 users a shard; writes cost Postgres nothing, so they never run out.
    expect(fixed.resource).toBe("one Postgres server, reads (8 cores)");
    expect(fixed.usersPerUnit).toBeCloseTo(24_000);
    expect(found.map((limit) => limit.resource)).not.toContain(
      "one Postgres primary, writes (8 cores)",
    );
    const usersPerUnit = found.map((limit) => limit.usersPerUnit);
    expect(usersPerUnit).toEqual([...usersPerUnit].sort((a, b) => a - b));
  });
});
