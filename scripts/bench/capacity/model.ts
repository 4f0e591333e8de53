// The capacity model: from the measured figures (bench/capacity.json) and an app usage profile,
// how many pods of each service, Redis shards and Postgres servers serve a number of concurrent
// users, and which of them runs out first. Pure arithmetic, so docs/capacity.md is generated
// from it and a test can tell when the doc no longer says what the figures give.
import { services as deployed, type ServiceSpec } from "../../../deploy/src/services.ts";
import { loadContractOperations } from "../../lib/contract-operations.ts";
import {
  SERVICES,
  type CapacityFigures,
  type CostCentre,
  type MemoryCost,
  type Service,
} from "./figures.ts";

export interface UsageProfile {
  /** Requests one concurrent user sends a minute, by contract operation. */
  requestsPerMinute: Record<string, number>;
  /** What each concurrent user holds on their one socket. */
  subscriptions: string[];
  /** Sockets each sent message reaches: the sender's other devices aside, sender and recipient. */
  deliveriesPerMessage: number;
}

/**
 * A concurrent user is someone with the app open. Assumed, not measured: a dating session is
 * mostly swiping, with chat beside it; tokens refresh every 15 minutes; fitness syncs come in
 * the background every few minutes.
 */
export const APP_USAGE: UsageProfile = {
  requestsPerMinute: {
    Login: 0.01,
    RefreshSession: 1 / 15,
    Viewer: 0.2,
    MyProfile: 0.1,
    Discover: 0.5,
    Swipe: 4,
    SendMessage: 1,
    Conversations: 0.5,
    ConversationMessages: 1,
    SyncActivity: 0.2,
    Leaderboard: 0.2,
    Plans: 0.02,
  },
  subscriptions: ["OnMessageAdded", "OnMatchCreated"],
  deliveriesPerMessage: 2,
};

export const SCALES = [10_000, 100_000, 1_000_000];

/** How full each resource is planned to run. */
export const PLANNING = {
  /** The autoscaler's target: 70 % of a pod's CPU request (deploy/src/manifests.ts). */
  podCpuUtilization: 0.7,
  /** Half a Redis core: room for bursts, persistence forks and a failover's catch-up. */
  redisUtilization: 0.5,
  postgresCoresPerServer: 8,
  postgresUtilization: 0.6,
  /** Each subgraph pod's Postgres connections: Prisma's pool and the outbox relay's LISTEN. */
  postgresConnectionsPerPod: 11,
} as const;

/**
 * Each compiled service's RSS when it first answers `/ready` (`pnpm bench:images`,
 * bench/RESULTS.md). This benchmark's processes each load every subgraph's code (the registry)
 * and tsx, so only what they grew by under load is taken from it.
 */
export const COMPILED_READY_RSS_MIB: Record<Service, number> = {
  gateway: 141,
  identity: 190,
  profiles: 203,
  discovery: 195,
  chat: 195,
  competitions: 193,
  billing: 195,
};

export interface ServicePlan {
  name: Service;
  cores: number;
  podsForCpu: number;
  podsForMemory: number;
  pods: number;
  /** The autoscaler's production maximum, which `pods` must not exceed. */
  maxReplicas: number;
  memoryGiB: number;
}

export interface ScalePlan {
  users: number;
  requestsPerSecond: number;
  services: ServicePlan[];
  redis: { commandsPerSecond: number; shards: number };
  postgres: {
    statementsPerSecond: number;
    writeCores: number;
    readCores: number;
    primaries: number;
    replicas: number;
    connections: number;
  };
}

/** How many users one unit of a resource serves, at its planned load. */
export interface Limit {
  resource: string;
  usersPerUnit: number;
  /** Whether more units are a deployment change (pods) rather than a re-architecture. */
  scalesOut: boolean;
}

const mebibytes = (quantity: string) =>
  quantity.endsWith("Gi") ? Number(quantity.slice(0, -2)) * 1024 : Number(quantity.slice(0, -2));
const cores = (quantity: string) =>
  quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);

/** The contract's queries: what could be served by a Postgres replica. */
const READS = new Set(
  [...loadContractOperations()]
    .filter(([, text]) => text.startsWith("query"))
    .map(([name]) => name),
);

/** `messageAdded` events one concurrent user's messages cause a second. */
const deliveriesPerSecond = (usage: UsageProfile) =>
  ((usage.requestsPerMinute.SendMessage ?? 0) / 60) * usage.deliveriesPerMessage;

/** Per concurrent user: what they cost each process, Redis and Postgres, a second. */
export function perUser(figures: CapacityFigures, usage: UsageProfile) {
  const cpuMs = (centre: CostCentre) => {
    let sum = 0;
    for (const [name, perMinute] of Object.entries(usage.requestsPerMinute)) {
      sum += (perMinute / 60) * figures.operations[name]!.cpuMs[centre];
    }
    const deliveries = deliveriesPerSecond(usage);
    return sum + deliveries * figures.delivery.cpuMs[centre] + figures.openSocketCpuMs[centre];
  };
  const rate = (count: (name: string) => number) =>
    Object.entries(usage.requestsPerMinute).reduce(
      (sum, [name, perMinute]) => sum + (perMinute / 60) * count(name),
      0,
    );
  const statements = (name: string) =>
    Object.values(figures.operations[name]!.statements).reduce((sum, n) => sum + n, 0);
  const isRead = (name: string) => READS.has(name);
  const postgresCpu = (name: string) => figures.operations[name]!.cpuMs.postgres / 1000;
  // RSS where it grew; the heap where the allocator's spare pages hid the growth from RSS.
  const held = (cost: MemoryCost | undefined) =>
    cost ? Math.max(0, cost.rssKiB, cost.heapKiB) : 0;
  const memoryKiB = (service: Service) =>
    (service === "gateway" ? held(figures.memory.idleSocket) : 0) +
    usage.subscriptions.reduce(
      (sum, name) => sum + held(figures.memory.subscriptions[name]?.[service]),
      0,
    );
  return {
    requestsPerSecond: rate(() => 1),
    coresOf: (service: Service) => cpuMs(service) / 1000,
    memoryKiB,
    redisCommandsPerSecond:
      rate((name) => figures.operations[name]!.redisCommands) +
      deliveriesPerSecond(usage) * figures.delivery.redisCommands,
    statementsPerSecond: rate(statements),
    postgresReadCores: rate((name) => (isRead(name) ? postgresCpu(name) : 0)),
    postgresWriteCores: rate((name) => (isRead(name) ? 0 : postgresCpu(name))),
  };
}

function specOf(name: Service): ServiceSpec {
  return deployed.find((spec) => spec.name === name)!;
}

/** Users one pod of `name` serves: by its CPU request at the autoscaler's target, and memory. */
function podCapacity(figures: CapacityFigures, usage: UsageProfile, name: Service) {
  const pod = podSize(figures, usage, name);
  const spareKiB = (pod.memoryRequestMiB - pod.baseRssMiB) * 1024;
  if (spareKiB <= 0) {
    throw new Error(
      `${name}'s memory request (deploy/src/services.ts) is below its measured RSS, ${pod.baseRssMiB} MiB`,
    );
  }
  return { cpu: pod.users, memory: spareKiB / perUser(figures, usage).memoryKiB(name) };
}

export function planScale(figures: CapacityFigures, usage: UsageProfile, users: number): ScalePlan {
  const user = perUser(figures, usage);
  const services = SERVICES.map((name): ServicePlan => {
    const capacity = podCapacity(figures, usage, name);
    const podsForCpu = Math.max(1, Math.ceil(users / capacity.cpu));
    const podsForMemory = Math.max(1, Math.ceil(users / capacity.memory));
    const pods = Math.max(podsForCpu, podsForMemory);
    return {
      name,
      cores: users * user.coresOf(name),
      podsForCpu,
      podsForMemory,
      pods,
      maxReplicas: specOf(name).replicas.max,
      memoryGiB:
        (pods * podSize(figures, usage, name).baseRssMiB + (users * user.memoryKiB(name)) / 1024) /
        1024,
    };
  });
  const podsOf = (name: Service) => services.find((plan) => plan.name === name)!.pods;
  const idle = (rates: Partial<Record<Service, number>>) =>
    SERVICES.reduce((sum, name) => sum + podsOf(name) * (rates[name] ?? 0), 0);
  // Redis cannot tell whose commands are whose: each process's share of the idle rate is alike.
  const idleRedisPerPod = figures.idle.redisCommandsPerSecond / SERVICES.length;
  const redisCommandsPerSecond =
    users * user.redisCommandsPerSecond +
    idle(Object.fromEntries(SERVICES.map((name) => [name, idleRedisPerPod])));
  const redisPerShard = (1e6 / figures.redisUsPerCommand) * PLANNING.redisUtilization;
  const serverCores = PLANNING.postgresCoresPerServer * PLANNING.postgresUtilization;
  const idlePostgresCores =
    (idle(figures.idle.statementsPerSecond) * figures.postgresUsPerStatement) / 1e6;
  const writeCores = users * user.postgresWriteCores + idlePostgresCores;
  const readCores = users * user.postgresReadCores;
  const subgraphPods = services.filter((plan) => plan.name !== "gateway");
  return {
    users,
    requestsPerSecond: users * user.requestsPerSecond,
    services,
    redis: {
      commandsPerSecond: redisCommandsPerSecond,
      shards: Math.ceil(redisCommandsPerSecond / redisPerShard),
    },
    postgres: {
      statementsPerSecond:
        users * user.statementsPerSecond + idle(figures.idle.statementsPerSecond),
      writeCores,
      readCores,
      primaries: Math.max(1, Math.ceil(writeCores / serverCores)),
      replicas: Math.ceil(readCores / serverCores),
      connections: subgraphPods.reduce(
        (sum, plan) => sum + plan.pods * PLANNING.postgresConnectionsPerPod,
        0,
      ),
    },
  };
}

/** Every resource's users per unit, fewest first: what runs out first as users grow. */
export function limits(figures: CapacityFigures, usage: UsageProfile): Limit[] {
  const user = perUser(figures, usage);
  const found: Limit[] = SERVICES.flatMap((name) => {
    const capacity = podCapacity(figures, usage, name);
    return [
      { resource: `${name} pod, CPU`, usersPerUnit: capacity.cpu, scalesOut: true },
      { resource: `${name} pod, memory`, usersPerUnit: capacity.memory, scalesOut: true },
    ];
  });
  const redisPerShard = (1e6 / figures.redisUsPerCommand) * PLANNING.redisUtilization;
  const serverCores = PLANNING.postgresCoresPerServer * PLANNING.postgresUtilization;
  found.push(
    {
      resource: "one Redis (single primary)",
      usersPerUnit: redisPerShard / user.redisCommandsPerSecond,
      scalesOut: false,
    },
    {
      resource: `one Postgres primary, writes (${PLANNING.postgresCoresPerServer} cores)`,
      usersPerUnit: serverCores / user.postgresWriteCores,
      scalesOut: false,
    },
    {
      resource: `one Postgres server, reads (${PLANNING.postgresCoresPerServer} cores)`,
      usersPerUnit: serverCores / user.postgresReadCores,
      scalesOut: false,
    },
  );
  // What a user does not use (a process the profile never reaches) never runs out.
  return found
    .filter((limit) => Number.isFinite(limit.usersPerUnit))
    .sort((a, b) => a.usersPerUnit - b.usersPerUnit);
}

/**
 * `name`'s pod as deployed: the users its CPU request serves at the autoscaler's target, and
 * the RSS it would hold with their sockets and subscriptions.
 */
function podSize(figures: CapacityFigures, usage: UsageProfile, name: Service) {
  const user = perUser(figures, usage);
  const spec = specOf(name);
  const users =
    (cores(spec.resources.requests.cpu) * PLANNING.podCpuUtilization) / user.coresOf(name);
  // What it grew by from start to after the requests, less what the (closed) sockets' memory
  // still counts there: the allocator keeps the pages.
  const { readyRssMiB, afterRssMiB, sockets } = figures.memory;
  const growthMiB = Math.max(
    0,
    afterRssMiB[name] - readyRssMiB[name] - (sockets * user.memoryKiB(name)) / 1024,
  );
  const baseRssMiB = COMPILED_READY_RSS_MIB[name] + growthMiB;
  return {
    name,
    cpuRequest: spec.resources.requests.cpu,
    users,
    baseRssMiB,
    loadedRssMiB: baseRssMiB + (users * user.memoryKiB(name)) / 1024,
    memoryRequest: spec.resources.requests.memory,
    memoryRequestMiB: mebibytes(spec.resources.requests.memory),
  };
}

/** Every service's pod as deployed (see `podSize`). */
export function podSizes(figures: CapacityFigures, usage: UsageProfile) {
  return SERVICES.map((name) => podSize(figures, usage, name));
}
