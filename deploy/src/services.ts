/**
 * What Kubernetes runs of Pulse: the gateway and every subgraph, with the resources each asks
 * for. The figures' sources are in docs/deploy.md#resources.
 */
export interface ServiceSpec {
  /** The workspace package without its scope; also the Deployment, Service and image name. */
  name: string;
  role: "gateway" | "subgraph";
  port: number;
  /** Replicas the autoscaler keeps, at least and at most, in production. */
  replicas: { min: number; max: number };
  resources: {
    requests: { cpu: string; memory: string };
    limits: { memory: string };
  };
  /** Secrets (by name) whose keys become the container's environment. */
  secrets: string[];
}

/** GATEWAY_SECRET and REDIS_URL: every process. */
export const SHARED_SECRET = "pulse-shared";
/** DATABASE_URL for the subgraphs; MIGRATION_DATABASE_URL, a role that may alter the schema. */
export const DATABASE_SECRET = "pulse-database";

/**
 * A subgraph: the replica range every subgraph shares; its CPU and memory its own. A pod's CPU
 * request is at most one core: a Node process runs its JavaScript on one thread.
 */
function subgraph(
  name: string,
  port: number,
  resources: { cpu: string; memory: string; memoryLimit: string },
  ownSecrets: string[] = [],
): ServiceSpec {
  return {
    name,
    role: "subgraph",
    port,
    replicas: { min: 2, max: 20 },
    resources: {
      requests: { cpu: resources.cpu, memory: resources.memory },
      limits: { memory: resources.memoryLimit },
    },
    secrets: [SHARED_SECRET, DATABASE_SECRET, ...ownSecrets],
  };
}

export const gateway: ServiceSpec = {
  name: "gateway",
  role: "gateway",
  port: 4000,
  replicas: { min: 2, max: 20 },
  resources: { requests: { cpu: "1", memory: "512Mi" }, limits: { memory: "1Gi" } },
  secrets: [SHARED_SECRET],
};

const small = { memory: "320Mi", memoryLimit: "640Mi" };
export const subgraphs: ServiceSpec[] = [
  subgraph("identity", 4001, { cpu: "250m", ...small }, ["pulse-identity"]),
  subgraph("profiles", 4002, { cpu: "1", memory: "384Mi", memoryLimit: "768Mi" }, [
    "pulse-profiles",
  ]),
  subgraph("discovery", 4003, { cpu: "1", ...small }),
  subgraph("chat", 4004, { cpu: "1", memory: "384Mi", memoryLimit: "768Mi" }),
  subgraph("competitions", 4005, { cpu: "250m", ...small }),
  subgraph("billing", 4006, { cpu: "250m", ...small }, ["pulse-billing"]),
];

export const services: ServiceSpec[] = [gateway, ...subgraphs];

/** Where every process serves /metrics, apart from its public port. */
export const METRICS_PORT = 9464;
