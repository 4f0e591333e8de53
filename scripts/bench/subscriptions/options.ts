import { parseArgs } from "node:util";

/** What one `pnpm bench:subscriptions` run does; every value has a flag and an env variable. */
export interface BenchOptions {
  /** Connection counts, each measured against the gateway and then the baseline. */
  counts: number[];
  /** Messages per second, in total, across all conversations. */
  rate: number;
  /** How long messages are sent for, per phase. */
  seconds: number;
  /** How long to wait for missing deliveries after the last send. */
  drainSeconds: number;
  /** Sockets opened at once. */
  batch: number;
  /** Unmeasured sending at the same rate before the measured load. */
  warmupSeconds: number;
  /** Pause after every subscription is in effect, before memory is read and sending starts. */
  settleSeconds: number;
}

const DEFAULTS = {
  n: "1000,5000,10000",
  rate: "20",
  // Long enough that one stall does not decide p99, and that identities outlive a minute.
  seconds: "60",
  drain: "5",
  batch: "200",
  settle: "3",
  warmup: "2",
};

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Flags win over BENCH_* variables, which win over the defaults. */
export function readOptions(argv: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== "--"),
    options: {
      n: { type: "string" },
      rate: { type: "string" },
      seconds: { type: "string" },
      drain: { type: "string" },
      batch: { type: "string" },
      settle: { type: "string" },
      warmup: { type: "string" },
    },
    strict: true,
  });
  const env = process.env;
  const pick = (key: keyof typeof DEFAULTS) =>
    values[key] ?? env[`BENCH_${key.toUpperCase()}`] ?? DEFAULTS[key];
  const counts = pick("n")
    .split(",")
    .map((part) => positive("n", part.trim().replace(/_/g, "")));
  for (const count of counts) {
    // Every connection is one participant of a two-person conversation.
    if (!Number.isInteger(count) || count % 2 !== 0) throw new Error("--n values must be even");
  }
  return {
    counts,
    rate: positive("rate", pick("rate")),
    seconds: positive("seconds", pick("seconds")),
    drainSeconds: positive("drain", pick("drain")),
    batch: Math.round(positive("batch", pick("batch"))),
    settleSeconds: Number(pick("settle")),
    warmupSeconds: Number(pick("warmup")),
  };
}

/** The command line that reproduces `options`. */
export function describeCommand(options: BenchOptions): string {
  return [
    "pnpm bench:subscriptions",
    `--n ${options.counts.join(",")}`,
    `--rate ${options.rate}`,
    `--seconds ${options.seconds}`,
    `--drain ${options.drainSeconds}`,
    `--batch ${options.batch}`,
    `--settle ${options.settleSeconds}`,
    `--warmup ${options.warmupSeconds}`,
  ].join(" ");
}
