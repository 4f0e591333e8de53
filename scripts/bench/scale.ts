// `pnpm bench:scale [--down 10] [--settle 40]`: the scale scenario of test/e2e/scale, longer.
// Two gateways and two replicas of every subgraph, each a process of its own behind a
// round-robin TCP balancer, on the benchmark's own database and Redis prefix; mixed load
// throughout, and one replica of each kind in turn SIGKILLed, kept down `--down` seconds and
// started again, with `--settle` seconds of load before each kill. It prints, per kill, the
// requests and failures by ending, transport retries, subscribers' reconnections, recovery and
// restart times; then events lost or duplicated per stream and p50/p99 per operation. Exits
// with 1 if anything a kill may not cause happened.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { stopCompiledServices } from "../../testkit/src/compiled-service.ts";
import { ScaleCluster } from "../../test/e2e/scale/cluster.ts";
import { printReport, runScaleScenario, scaleOptions } from "../../test/e2e/scale/scenario.ts";
import { UNLIMITED_RATE_LIMITS } from "../lib/unlimited-rate-limits.ts";
import { provisionEnvironment } from "./discovery/environment.ts";
import { makeSecrets, serviceEnv } from "./subscriptions/stack.ts";

const { values: args } = parseArgs({
  options: {
    down: { type: "string", default: "10" },
    settle: { type: "string", default: "40" },
  },
});
const options = scaleOptions({
  downSeconds: Number(args.down),
  settleSeconds: Number(args.settle),
  pauseMs: 100,
  chatPairs: 3,
  matches: 60,
  matchEveryMs: 6000,
});
const REPLICAS = 2;

const environment = await provisionEnvironment();
let cluster: ScaleCluster | undefined;
let clean = false;
try {
  // The services log that they listen at info; the scenario waits for that line.
  const env = { ...serviceEnv(environment, makeSecrets()), LOG_LEVEL: "info" };
  const startedAt = performance.now();
  cluster = await ScaleCluster.start(env, {
    replicas: REPLICAS,
    bySubgraph: UNLIMITED_RATE_LIMITS,
  });
  const processes = REPLICAS * options.kinds.length;
  console.log(`${processes} processes ready in ${Math.round(performance.now() - startedAt)} ms`);
  const report = await runScaleScenario(cluster, options, (line) => console.log(line));
  printReport(report);
  console.log(
    `load average (1, 5, 15 min): ${loadavg()
      .map((n) => n.toFixed(2))
      .join(", ")}`,
  );
  clean =
    report.serverErrors.length === 0 &&
    report.hangs === 0 &&
    report.streams.every((stream) => stream.inOrder) &&
    report.rankChainBreaks === 0 &&
    report.ranksWrongAtEnd === 0 &&
    report.conversationsMissing === 0 &&
    report.subscriptionsEnded.length === 0;
} finally {
  await cluster?.stop();
  await stopCompiledServices();
  await environment.dispose();
}
process.exit(clean ? 0 : 1);
