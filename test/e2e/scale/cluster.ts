import { startSourceService, type CompiledService } from "@pulse/testkit/compiled-service";
import { startTcpBalancer, type TcpBalancer } from "@pulse/testkit/tcp-proxy";
import { answersOk } from "../../../scripts/dev/wait-ready.ts";
import { subgraphRegistry } from "../../../subgraphs/registry.ts";

/** Every kind of service, in the order the scenario kills them: the gateway, then each subgraph. */
export const SERVICE_KINDS = ["gateway", ...subgraphRegistry.map(({ name }) => name)];

/** How long a started process may take to answer `/ready` (tsx compiles on a busy machine). */
const READY_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 100;

/** The replicas of one kind of service behind one balancer, as a Deployment behind a Service. */
export class ReplicaSet {
  private constructor(
    readonly kind: string,
    private readonly start: () => Promise<CompiledService>,
    readonly balancer: TcpBalancer,
    readonly replicas: CompiledService[],
  ) {}

  /** Starts `count` replicas with `start`, each ready, behind a new balancer. */
  static async launch(
    kind: string,
    count: number,
    start: () => Promise<CompiledService>,
  ): Promise<ReplicaSet> {
    const replicas = await Promise.all(Array.from({ length: count }, () => startReady(start)));
    const balancer = await startTcpBalancer(replicas.map(({ url }) => new URL(url).host));
    return new ReplicaSet(kind, start, balancer, replicas);
  }

  /** The balancer's base URL, where the others reach this kind. */
  get url(): string {
    return `http://${this.balancer.address}`;
  }

  /**
   * SIGKILLs the replica holding the most connections (the one whose loss disturbs most: it
   * serves the long-lived subscription sockets), and returns its index. Its address stays in
   * the balancer, which skips it, until {@link restart} replaces it.
   */
  async killBusiest(): Promise<number> {
    const open = this.balancer.openConnections();
    const load = (replica: CompiledService) => open.get(new URL(replica.url).host) ?? 0;
    const busiest = this.replicas.reduce(
      (best, replica, index) => (load(replica) > load(this.replicas[best]!) ? index : best),
      0,
    );
    await this.replicas[busiest]!.kill();
    return busiest;
  }

  /** Starts replica `index` again (on a new port, as a new pod), and routes to it once ready. */
  async restart(index: number): Promise<void> {
    const replica = await startReady(this.start);
    const old = new URL(this.replicas[index]!.url).host;
    this.replicas[index] = replica;
    this.balancer.targets = this.balancer.targets.map((target) =>
      target === old ? new URL(replica.url).host : target,
    );
  }

  /** Connections open now to replica `index`. */
  connectionsTo(index: number): number {
    return this.balancer.openConnections().get(new URL(this.replicas[index]!.url).host) ?? 0;
  }

  /** Connections open now to every replica. */
  connections(): number {
    return [...this.balancer.openConnections().values()].reduce((sum, n) => sum + n, 0);
  }

  async stop(): Promise<void> {
    await this.balancer.close();
    await Promise.all(this.replicas.map((replica) => replica.stop()));
  }
}

/** Starts a process with `start` and resolves once its `/ready` answers 200. */
async function startReady(start: () => Promise<CompiledService>): Promise<CompiledService> {
  const service = await start();
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (!(await answersOk(`${service.url}/ready`))) {
    if (performance.now() > deadline) {
      await service.kill();
      throw new Error(`${service.url} not ready after ${READY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  return service;
}

/**
 * Every service as OS processes from their sources: `replicas` of each subgraph and of the
 * gateway, each kind behind a round-robin TCP balancer. The gateways reach the subgraphs through
 * the subgraphs' balancers; clients reach the gateways through theirs.
 */
export class ScaleCluster {
  private constructor(readonly sets: Map<string, ReplicaSet>) {}

  /**
   * `env` is the whole environment every process gets (database, Redis, secrets, S3, Stripe),
   * as the test stack or a benchmark provides it; `bySubgraph` adds variables per subgraph.
   */
  static async start(
    env: Record<string, string>,
    options: { replicas: number; bySubgraph?: Record<string, Record<string, string>> },
  ): Promise<ScaleCluster> {
    const local = { ...env, HOST: "127.0.0.1", PORT: "0" };
    const sets = new Map<string, ReplicaSet>();
    const subgraphs = await Promise.all(
      subgraphRegistry.map(({ name }) =>
        ReplicaSet.launch(name, options.replicas, () =>
          startSourceService(`subgraphs/${name}/src/main.ts`, {
            ...local,
            ...options.bySubgraph?.[name],
          }),
        ),
      ),
    );
    for (const set of subgraphs) sets.set(set.kind, set);
    const gatewayEnv = {
      ...local,
      JWKS_URL: `${sets.get("identity")!.url}/.well-known/jwks.json`,
      SUPERGRAPH_WATCH: "false",
      // Each test client claims its own address, so per-address limits do not collide.
      TRUST_PROXY: "true",
      ...Object.fromEntries(
        subgraphs.map((set) => [`SUBGRAPH_${set.kind.toUpperCase()}_URL`, `${set.url}/graphql`]),
      ),
    };
    const gateways = await ReplicaSet.launch("gateway", options.replicas, () =>
      startSourceService("gateway/src/main.ts", gatewayEnv),
    );
    sets.set("gateway", gateways);
    return new ScaleCluster(sets);
  }

  /** Where clients send GraphQL: the gateways' balancer. */
  get graphqlUrl(): string {
    return `${this.sets.get("gateway")!.url}/graphql`;
  }

  set(kind: string): ReplicaSet {
    return this.sets.get(kind)!;
  }

  /** Stops the gateways first, then the subgraphs (SIGTERM each). */
  async stop(): Promise<void> {
    await this.sets.get("gateway")?.stop();
    await Promise.all(
      [...this.sets.values()].filter((set) => set.kind !== "gateway").map((set) => set.stop()),
    );
  }
}
