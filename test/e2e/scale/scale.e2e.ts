// Two gateways and two replicas of every subgraph, each its own OS process, on the run's Redis
// and Postgres; under mixed load, one replica of each kind in turn is SIGKILLed and started
// again. SCALE_DOWN_SECONDS and SCALE_SETTLE_SECONDS lengthen it; `pnpm bench:scale` runs the
// same scenario longer and prints its figures (bench/RESULTS.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopCompiledServices } from "@pulse/testkit/compiled-service";
import { stackEnvironment, type StackEnvironment } from "@pulse/testkit/stack";
import { UNLIMITED_RATE_LIMITS } from "../../../scripts/lib/unlimited-rate-limits.ts";
import { ScaleCluster } from "./cluster.ts";
import { printReport, runScaleScenario, scaleOptions, type ScaleReport } from "./scenario.ts";

const options = scaleOptions({
  downSeconds: 2,
  settleSeconds: 2,
  pauseMs: 100,
  chatPairs: 2,
  matches: 16,
  matchEveryMs: 4000,
});

/** Fourteen processes starting at once from sources take a minute or more on a busy 2-core machine. */
const START_TIMEOUT_MS = 240_000;
/** Each kill: settle, down, a restart (tens of seconds when busy) and recovery. */
const SCENARIO_TIMEOUT_MS =
  60_000 + options.kinds.length * ((options.downSeconds + options.settleSeconds) * 1000 + 90_000);

let environment: StackEnvironment;
let cluster: ScaleCluster;
beforeAll(async () => {
  environment = await stackEnvironment();
  cluster = await ScaleCluster.start(environment.env, {
    replicas: 2,
    bySubgraph: UNLIMITED_RATE_LIMITS,
  });
}, START_TIMEOUT_MS);

afterAll(async () => {
  await cluster?.stop();
  await stopCompiledServices();
  await environment?.stripe.stripe.close();
});

describe("two of everything, one replica of each kind killed in turn under load", () => {
  let report: ScaleReport;
  beforeAll(async () => {
    report = await runScaleScenario(cluster, options, (line) => console.log(`[scale] ${line}`));
    printReport(report);
  }, SCENARIO_TIMEOUT_MS);

  it("kills and restarts a replica of every kind, and the load succeeds again after each", () => {
    expect(report.kills.map(({ kind }) => kind)).toEqual(options.kinds);
    expect(report.kills.every((kill) => kill.requests > 0 && kill.recoveryMs >= 0)).toBe(true);
  });

  it("answers every request or fails it with a clear error: no server error, no hang", () => {
    expect(report.serverErrors).toEqual([]);
    expect(report.hangs).toBe(0);
  });

  it("loses and repeats no message and no match; every match gets its conversation", () => {
    for (const stream of report.streams) {
      expect(stream.made, stream.stream).toBeGreaterThan(0);
      expect(stream, stream.stream).toMatchObject({
        lost: 0,
        duplicated: 0,
        unexpected: 0,
        inOrder: true,
      });
    }
    expect(report.conversationsMissing).toBe(0);
  });

  it("resumes every subscription: none ends, rank chains hold, and each ends on its final rank", () => {
    expect(report.subscriptionsEnded).toEqual([]);
    expect(report.rankEvents).toBeGreaterThan(0);
    expect(report.rankChainBreaks).toBe(0);
    expect(report.ranksWrongAtEnd).toBe(0);
  });

  it("moves subscribers to the other gateway when theirs dies; a subgraph's death reaches no client", () => {
    const [gateway, ...subgraphs] = report.kills;
    expect(gateway!.reconnections).toBeGreaterThan(0);
    expect(subgraphs.map((kill) => [kill.kind, kill.reconnections])).toEqual(
      subgraphs.map((kill) => [kill.kind, 0]),
    );
  });
});
