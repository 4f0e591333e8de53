import type { BenchOptions } from "./options.ts";
import type { PhaseResult } from "./phase.ts";

export const TARGETS = { p99Ratio: 2, memoryRatio: 1.5 };

const count = (value: number) => value.toLocaleString("en-US");
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "n/a");

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join("  "),
    )
    .join("\n");
}

/**
 * Profile fetches per delivered event: the operations profiles served for the subscription's
 * plan (the gateway names them `OnMessageAdded__profiles__<n>`), not for the mutation's answer.
 */
export function profileFetchesPerDelivery(result: PhaseResult): number {
  let fetches = 0;
  for (const [name, value] of result.counterDelta) {
    if (name.startsWith("profiles OnMessageAdded") && !name.endsWith(" ms")) fetches += value;
  }
  return result.delivered > 0 ? fetches / result.delivered : Number.NaN;
}

export interface Verdict {
  p99Ratio: number;
  memoryRatio: number;
  passed: boolean;
  failures: string[];
}

export function judge(gateway: PhaseResult, baseline: PhaseResult): Verdict {
  const p99Ratio = gateway.latency.p99 / baseline.latency.p99;
  const memoryRatio = gateway.mibPerThousand / baseline.mibPerThousand;
  const failures: string[] = [];
  for (const result of [gateway, baseline]) {
    if (result.lost > 0) failures.push(`${result.label} lost ${result.lost}`);
    if (result.duplicated > 0) failures.push(`${result.label} duplicated ${result.duplicated}`);
    if (result.sendFailures > 0)
      failures.push(`${result.label} failed ${result.sendFailures} sends`);
    // A delivery without the sender's profile, or with errors, is not the event owed.
    if (result.faulty > 0)
      failures.push(`${result.label} delivered ${result.faulty} faulty results`);
  }
  if (!(p99Ratio <= TARGETS.p99Ratio)) failures.push(`p99 ${p99Ratio.toFixed(2)}x baseline`);
  if (!(memoryRatio <= TARGETS.memoryRatio)) {
    failures.push(`memory ${memoryRatio.toFixed(2)}x baseline`);
  }
  return { p99Ratio, memoryRatio, passed: failures.length === 0, failures };
}

/** The table of one connection count, its ratios and the details behind them. */
export function describeCount(
  n: number,
  gateway: PhaseResult,
  baseline: PhaseResult,
  options: BenchOptions,
): string {
  const verdict = judge(gateway, baseline);
  const messages = Math.round(options.rate * options.seconds);
  const row = (label: string, result: PhaseResult, latency: { p50: number; p99: number }) => [
    label,
    ms(latency.p50),
    ms(latency.p99),
    count(result.lost),
    count(result.duplicated),
    result.label === "gateway" ? profileFetchesPerDelivery(result).toFixed(2) : "0 (map)",
    result.mibPerThousand.toFixed(1),
  ];
  const lines = [
    `\n== N = ${count(n)} connections, ${count(n / 2)} conversations: ${count(messages)} messages at ${options.rate}/s for ${options.seconds} s, ${count(messages * 2)} deliveries owed, drain ${options.drainSeconds} s`,
    table([
      ["", "p50 ms", "p99 ms", "lost", "dup", "profile fetches/delivery", "MiB/1,000 conn"],
      row("gateway, from sendMessage start", gateway, gateway.latency),
      row("gateway, from commit (sentAt)", gateway, gateway.fromSentAt),
      row("baseline, from sendMessage start", baseline, baseline.latency),
      row("baseline, from commit (sentAt)", baseline, baseline.fromSentAt),
    ]),
    `ratios gateway/baseline: p99 ${verdict.p99Ratio.toFixed(2)}x (target <= ${TARGETS.p99Ratio}x), ` +
      `from-commit p99 ${(gateway.fromSentAt.p99 / baseline.fromSentAt.p99).toFixed(2)}x, ` +
      `p50 ${(gateway.latency.p50 / baseline.latency.p50).toFixed(2)}x, ` +
      `memory per connection ${verdict.memoryRatio.toFixed(2)}x (target <= ${TARGETS.memoryRatio}x)`,
    `verdict: ${verdict.passed ? "all targets met" : `MISSED: ${verdict.failures.join("; ")}`}`,
  ];
  for (const result of [gateway, baseline]) lines.push(...details(result));
  return lines.join("\n");
}

/** The counters' changes; an operation's total time (`<name> ms`) is shown as its mean. */
function counters(result: PhaseResult): string {
  const { counterDelta } = result;
  const parts: string[] = [];
  for (const [name, value] of counterDelta) {
    if (name.endsWith(" ms")) continue;
    const total = counterDelta.get(`${name} ms`);
    parts.push(
      `${name} ${count(value)}${total === undefined ? "" : ` (mean ${(total / value).toFixed(1)} ms)`}`,
    );
  }
  const transactions = counterDelta.get("postgres transactions") ?? 0;
  return `${parts.join(", ")}; ${(transactions / result.sent).toFixed(1)} postgres transactions per message sent`;
}

function details(result: PhaseResult): string[] {
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const lines = [
    `  ${result.label}: ${count(result.connections - result.connectFailures.length)}/${count(result.connections)} sockets acked in ${result.connectSeconds.toFixed(1)} s` +
      `${result.notLive > 0 ? `, ${count(result.notLive)} subscriptions NOT live at Redis when sending began` : ", every subscription live at Redis before sending"}` +
      `; RSS ${mib(result.rssBefore)} -> ${mib(result.rssAfter)} MiB (V8 heap used +${result.heapMibPerThousand.toFixed(1)} MiB per 1,000)`,
    `    delivered ${count(result.delivered)}/${count(result.expected)}, lost ${count(result.lost)}, duplicated ${count(result.duplicated)}, ` +
      `strays ${count(result.strays)}, results with errors or no profile ${count(result.faulty)}; ` +
      `send failures ${count(result.sendFailures)}/${count(result.sent)}; ` +
      `send (mutation round trip${result.label === "gateway" ? "" : ", straight to chat"}) p50 ${ms(result.sendMs.p50)} ms, p99 ${ms(result.sendMs.p99)} ms; ` +
      `latency max ${ms(result.latency.max)} ms; driver's worst send lateness ${ms(result.maxLagMs)} ms`,
  ];
  for (const [name, mibPerThousand] of result.sideMibPerThousand) {
    lines.push(
      `    ${name} RSS grew ${mibPerThousand.toFixed(1)} MiB per 1,000 connections meanwhile`,
    );
  }
  if (result.warmupLost > 0) {
    lines.push(
      `    ${count(result.warmupLost)} warm-up deliveries still missing when measuring began`,
    );
  }
  lines.push(`    ${result.connectCpu}`, `    ${result.cpu}`, `    ${result.stalls}`);
  if (result.counterDelta.size > 0)
    lines.push(`    during the load and drain: ${counters(result)}`);
  if (result.connectFailures.length > 0) {
    lines.push(`    connect failures (first): ${result.connectFailures[0]}`);
  }
  if (result.sendErrorSample) lines.push(`    first send error: ${result.sendErrorSample}`);
  if (result.faultSample) lines.push(`    first faulty result: ${result.faultSample}`);
  if (result.ended.length > 0) {
    lines.push(
      `    ${count(result.ended.length)} subscriptions ended early, first: ${result.ended[0]}`,
    );
  }
  if (result.leftoverChannels > 0) {
    lines.push(
      `    ${count(result.leftoverChannels)} live channels still subscribed 10 s after every socket closed`,
    );
  }
  return lines;
}

/** What the columns mean, printed once before the tables. */
export function legend(options: BenchOptions): string {
  return [
    "how to read the tables:",
    "  every message is a real sendMessage mutation over HTTP: chat commits it to Postgres, then PUBLISHes it to both",
    "    people's channels. latency = subscriber's receipt - start of that HTTP request, so it includes the mutation",
    "    and the commit; 'from commit' measures from the message's sentAt instead (Postgres clock_timestamp() inside",
    "    the send transaction, millisecond precision, same machine clock): delivery alone.",
    "  gateway rows: the mutation goes through the gateway (the contract's SendMessage, sender's profile included);",
    "    the federated gateway delivers the event (chat's subscription, then the profile fetched per subscriber).",
    "  baseline rows: the mutation goes straight to chat (no gateway: the driver signs the identity the gateway would",
    "    forward; only the id is asked back); a bare graphql-ws server (useServer + graphql-redis-subscriptions on",
    "    chat's channels, no federation, no database, profiles from an in-memory map) delivers the event.",
    `  both: open-loop sends at ${options.rate}/s after ${options.warmupSeconds} s of unmeasured warm-up; lost = owed`,
    `    deliveries missing ${options.drainSeconds} s after the last send; dup = (subscriber, message) received twice.`,
    "  profile fetches/delivery = operations the profiles subgraph served for OnMessageAdded plans during the load",
    "    (its graphql_operation_duration_seconds_count) / deliveries; the mutation's own answer is listed apart.",
    "  MiB/1,000 conn = (RSS with all N subscribed and settled - RSS before connecting) / (N/1000), read inside the",
    "    process after a full GC; the gateway and the baseline are fresh processes for each N.",
    "  'during the load and drain' counters: Prometheus counters of profiles and chat, and Postgres' own statistics",
    "    for this run's database (read 11 s after the work, as Postgres publishes them late); CPU from /proc.",
  ].join("\n");
}

/** One line per connection count; sets the exit code when a target was missed. */
export function describeSummary(
  results: [number, PhaseResult, PhaseResult][],
  command: string,
): string {
  const lines = [`\n== summary (${command})`];
  for (const [n, gateway, baseline] of results) {
    const verdict = judge(gateway, baseline);
    lines.push(
      `N=${count(n)}: gateway p99 ${ms(gateway.latency.p99)} ms vs baseline ${ms(baseline.latency.p99)} ms (${verdict.p99Ratio.toFixed(2)}x), ` +
        `${gateway.mibPerThousand.toFixed(1)} vs ${baseline.mibPerThousand.toFixed(1)} MiB/1,000 (${verdict.memoryRatio.toFixed(2)}x), ` +
        `lost ${gateway.lost}/${baseline.lost}, duplicated ${gateway.duplicated}/${baseline.duplicated}: ` +
        (verdict.passed ? "targets met" : `MISSED (${verdict.failures.join("; ")})`),
    );
    if (!verdict.passed) process.exitCode = 1;
  }
  return lines.join("\n");
}
