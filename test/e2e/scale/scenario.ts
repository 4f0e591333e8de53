import {
  LiveMessagesDocument,
  MessageFieldsFragmentDoc,
  OnMyRankChangedDocument,
  TypedDocumentString,
  useFragment,
} from "@pulse/client";
import { percentile } from "../../../scripts/bench/stats.ts";
import { isServerError } from "../faults/fault-run.ts";
import { MixedLoad, type Outcome } from "../faults/load.ts";
import { MessageLedger } from "../faults/messages.ts";
import { StepSyncs, Suitors } from "./activity.ts";
import { SERVICE_KINDS, type ScaleCluster } from "./cluster.ts";
import { LiveFeed, type Delivered } from "./live-feed.ts";
import { dataOf, Population } from "./population.ts";

// The scale scenario: mixed load through two gateways onto two replicas of every subgraph,
// while one replica of each kind in turn is SIGKILLed and started again. The end-to-end test
// (scale.e2e.ts) asserts on its report; `pnpm bench:scale` runs it longer and prints it.

export interface ScaleOptions {
  /** The kinds killed, in turn (every one by default: the gateway, then each subgraph). */
  kinds: string[];
  /** How long a killed replica stays down, under load, before it is started again. */
  downSeconds: number;
  /** How long the load runs before the first kill and after each recovery. */
  settleSeconds: number;
  /** Each load loop's rest between requests: a modest load on a shared 2-core machine. */
  pauseMs: number;
  /** Matched pairs who write to each other, one of each subscribed to their messages. */
  chatPairs: number;
  /** Matches made over the run with one person subscribed to them, one every `matchEveryMs`. */
  matches: number;
  matchEveryMs: number;
}

/** `defaults`, with SCALE_DOWN_SECONDS and SCALE_SETTLE_SECONDS from the environment. */
export function scaleOptions(defaults: Omit<ScaleOptions, "kinds">): ScaleOptions {
  const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  return {
    ...defaults,
    kinds: SERVICE_KINDS,
    downSeconds: seconds("SCALE_DOWN_SECONDS", defaults.downSeconds),
    settleSeconds: seconds("SCALE_SETTLE_SECONDS", defaults.settleSeconds),
  };
}

/** How long the load may take to succeed at everything after a start or a restart. */
const RECOVERY_TIMEOUT_MS = 60_000;
/** How long the streams may take to deliver their last events once the load stopped. */
const DELIVERY_TIMEOUT_MS = 30_000;

/** `messageAdded` with each match's cursor, so the client resumes it (not in the contract). */
const LiveMatchesDocument = new TypedDocumentString<
  { matchCreated: { id: string; cursor: string } },
  { after?: string }
>(`subscription ScaleMatches($after: String) {
  matchCreated(after: $after) {
    id
    cursor
  }
}`);

/** One kill: what the load saw from it until the next one. */
export interface KillFigures {
  kind: string;
  replica: number;
  requests: number;
  failed: number;
  /** Failed requests by ending, `UNAVAILABLE×3, …`. */
  failures: string;
  /** Requests sent again after their connection failed (see `RetryingClient`). */
  retried: number;
  /** Subscribers' sockets opened again (each after its gateway went away). */
  reconnections: number;
  /** From the kill until every operation had succeeded again, each with a request sent after it. */
  recoveryMs: number;
  /** From starting the replica again until it answered `/ready` and took connections. */
  restartMs: number;
  /** Connections open to the restarted replica at the end of its phase... */
  rejoined: number;
  /** ...and to every replica of its kind. */
  connections: number;
}

/** A stream of events against what was made: messages, matches. */
export interface StreamFigures {
  stream: string;
  made: number;
  received: number;
  lost: number;
  duplicated: number;
  /** Received but never made: a message stored twice would be one. */
  unexpected: number;
  /** Received exactly what was made, in the order it was made. */
  inOrder: boolean;
}

export interface ScaleReport {
  kills: KillFigures[];
  requests: number;
  failed: number;
  retried: number;
  hangs: number;
  p50Ms: number;
  p99Ms: number;
  /** Distinct `operation ending (status)` no kill may cause, and subscription results alike. */
  serverErrors: string[];
  operations: Record<string, string | number>[];
  streams: StreamFigures[];
  rankEvents: number;
  /** Rank events whose previousRank was not the rank before it on the same socket. */
  rankChainBreaks: number;
  /** Participants whose last rank event is not their final rank. */
  ranksWrongAtEnd: number;
  /** Matches whose conversation chat never opened (a `match.created` event lost). */
  conversationsMissing: number;
  /** Subscriptions that ended instead of resuming. */
  subscriptionsEnded: string[];
}

interface Phase {
  kind: string;
  replica: number;
  killedAt: number;
  restartMs: number;
  rejoined: number;
  connections: number;
}

/** The scenario's length, the load running: not a wait for something to happen. */
const hold = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Runs the scenario against `cluster` and reports what it saw; `log` hears of each step. */
export async function runScaleScenario(
  cluster: ScaleCluster,
  options: ScaleOptions,
  log: (line: string) => void = () => {},
): Promise<ScaleReport> {
  const retries: number[] = [];
  const population = new Population(cluster.graphqlUrl, retries);
  const pairs = await Promise.all(
    Array.from({ length: options.chatPairs }, () => population.chatPair()),
  );
  const {
    popular,
    suitors: [firstSuitor, ...suitors],
  } = await Suitors.gather(population, options.matches + 1);
  await population.like(firstSuitor!, popular);
  const firstMatch = await population.newestMatch(popular);
  const participants = pairs.flatMap(({ alice, bob }) => [alice, bob]);
  const competition = await population.competition(participants);
  log("people, matches and a competition made");

  const ledgers = pairs.map(
    ({ bob, conversationId }) => new MessageLedger(bob.client, conversationId),
  );
  const matches = new Suitors(popular, suitors, options.matchEveryMs);
  const steps = new StepSyncs(competition, participants);
  const url = cluster.graphqlUrl;
  const messageFeeds = pairs.map(
    (pair) =>
      new LiveFeed(
        url,
        pair.alice.tokens,
        LiveMessagesDocument,
        { conversationId: pair.conversationId, after: pair.firstMessageCursor },
        (data) => useFragment(MessageFieldsFragmentDoc, data.messageAdded).id,
      ),
  );
  const matchFeed = new LiveFeed(
    url,
    popular.tokens,
    LiveMatchesDocument,
    { after: firstMatch.cursor },
    (data) => data.matchCreated.id,
  );
  const rankFeeds = participants.map(
    (person) =>
      new LiveFeed(
        url,
        person.tokens,
        OnMyRankChangedDocument,
        { competitionId: competition.id },
        (data) => data.myRankChanged,
      ),
  );
  const feeds = [...messageFeeds, matchFeed, ...rankFeeds];

  const [first] = pairs;
  const anonymous = population.client();
  const load = new MixedLoad(
    {
      Viewer: () => first!.alice.client.op("Viewer"),
      Login: () =>
        anonymous.op("Login", {
          input: { email: first!.bob.email, password: first!.bob.password },
        }),
      MyProfile: () => first!.bob.client.op("MyProfile"),
      Discover: () => first!.alice.client.op("Discover", { first: 5 }),
      Matches: () => popular.client.op("Matches", { first: 5 }),
      Swipe: matches.swipe,
      ...Object.fromEntries(
        ledgers.map((ledger, index) => [`SendMessage ${index + 1}`, ledger.send]),
      ),
      ConversationMessages: () =>
        first!.alice.client.op("ConversationMessages", { id: first!.conversationId, first: 5 }),
      Competitions: () => first!.alice.client.op("Competitions", { first: 5 }),
      SyncActivity: steps.sync,
      Leaderboard: () =>
        first!.bob.client.op("Leaderboard", { competitionId: competition.id, first: 10 }),
      Plans: () => anonymous.op("Plans"),
      MyBilling: () => first!.alice.client.op("MyBilling"),
    },
    options.pauseMs,
  );

  const phases: Phase[] = [];
  load.start();
  let loadStopped = false;
  try {
    await load.untilEachSucceeded(performance.now(), RECOVERY_TIMEOUT_MS);
    log("load running");
    await hold(options.settleSeconds);
    for (const kind of options.kinds) {
      const set = cluster.set(kind);
      const killedAt = performance.now();
      const replica = await set.killBusiest();
      log(`${kind} replica ${replica} killed`);
      await hold(options.downSeconds);
      const restartingAt = performance.now();
      await set.restart(replica);
      const restartMs = performance.now() - restartingAt;
      log(`${kind} replica ${replica} ready again after ${Math.round(restartMs)} ms`);
      await load.untilEachSucceeded(performance.now(), RECOVERY_TIMEOUT_MS);
      await hold(options.settleSeconds);
      phases.push({
        kind,
        replica,
        killedAt,
        restartMs,
        rejoined: set.connectionsTo(replica),
        connections: set.connections(),
      });
    }
    await load.stop();
    loadStopped = true;
    const loadEndedAt = performance.now();

    // A message whose last attempt failed is sent again with its key, so every message stored
    // was acknowledged; then each participant takes the lead in turn.
    for (const ledger of ledgers) await sendUntilStored(ledger);
    const finalRanks = await steps.finish();
    log("load stopped; waiting for the streams' last events");

    const figures = () => ({
      streams: [
        ...messageFeeds.map((feed, index) =>
          compareStream(`messages ${index + 1}`, ledgers[index]!.acknowledged, feed.events),
        ),
        compareStream("matches", matches.matched, matchFeed.events),
      ],
      ranksWrongAtEnd: rankFeeds.filter(
        (feed, index) => feed.events.at(-1)?.rank !== finalRanks[index],
      ).length,
    });
    let conversationsMissing = matches.matched.length;
    await until(DELIVERY_TIMEOUT_MS, async () => {
      const { streams, ranksWrongAtEnd } = figures();
      conversationsMissing = (await matches.withoutConversation()).length;
      return (
        conversationsMissing === 0 &&
        ranksWrongAtEnd === 0 &&
        streams.every((stream) => stream.inOrder)
      );
    });
    return {
      ...summarize(load.outcomes, retries, phases, feeds, loadEndedAt),
      ...figures(),
      rankEvents: rankFeeds.reduce((sum, feed) => sum + feed.delivered.length, 0),
      rankChainBreaks: rankFeeds.reduce((sum, feed) => sum + chainBreaks(feed), 0),
      conversationsMissing,
      subscriptionsEnded: feeds.flatMap((feed) => (feed.ended ? [feed.ended] : [])),
    };
  } finally {
    if (!loadStopped) await load.stop();
    await Promise.all(feeds.map((feed) => feed.close()));
  }
}

/** Sends `ledger`'s pending message (or a new one) until the API acknowledges it. */
async function sendUntilStored(ledger: MessageLedger): Promise<void> {
  const acknowledged = ledger.acknowledged.length;
  const deadline = performance.now() + RECOVERY_TIMEOUT_MS;
  while (ledger.acknowledged.length === acknowledged) {
    const response = await ledger.send();
    if (performance.now() > deadline) dataOf(response, "the last SendMessage");
  }
}

/** Resolves once `done()` holds, or after `timeoutMs` (the report then shows what is missing). */
async function until(timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await done()) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function compareStream(stream: string, made: string[], received: string[]): StreamFigures {
  const distinct = new Set(received);
  const madeSet = new Set(made);
  return {
    stream,
    made: made.length,
    received: received.length,
    lost: made.filter((id) => !distinct.has(id)).length,
    duplicated: received.length - distinct.size,
    unexpected: [...distinct].filter((id) => !madeSet.has(id)).length,
    inOrder: received.length === made.length && received.every((id, index) => id === made[index]),
  };
}

type Rank = { rank: number | null; previousRank: number | null };

/** Events whose previousRank is not the rank of the event before it on the same socket. */
function chainBreaks(feed: { delivered: Delivered<Rank>[] }): number {
  return feed.delivered.filter((current, index) => {
    const before = feed.delivered[index - 1];
    return before?.socket === current.socket && current.event.previousRank !== before.event.rank;
  }).length;
}

type Feed = Pick<LiveFeed<unknown, unknown, unknown>, "reconnectionsSince" | "serverErrors">;

/** The load's and the kills' figures. */
function summarize(
  outcomes: Outcome[],
  retries: number[],
  phases: Phase[],
  feeds: Feed[],
  end: number,
) {
  const kills = phases.map((phase, index): KillFigures => {
    const windowEnd = phases[index + 1]?.killedAt ?? end;
    const during = outcomes.filter((o) => o.sentAt >= phase.killedAt && o.sentAt < windowEnd);
    const failures = during.filter((o) => o.ending !== "ok");
    const byEnding = new Map<string, number>();
    for (const { ending } of failures) byEnding.set(ending, (byEnding.get(ending) ?? 0) + 1);
    return {
      kind: phase.kind,
      replica: phase.replica,
      requests: during.length,
      failed: failures.length,
      failures: [...byEnding].map(([ending, count]) => `${ending}×${count}`).join(", ") || "none",
      retried: retries.filter((at) => at >= phase.killedAt && at < windowEnd).length,
      reconnections: feeds.reduce(
        (sum, feed) => sum + feed.reconnectionsSince(phase.killedAt, windowEnd),
        0,
      ),
      recoveryMs: Math.round(recoveryFrom(phase.killedAt, during)),
      restartMs: Math.round(phase.restartMs),
      rejoined: phase.rejoined,
      connections: phase.connections,
    };
  });
  const succeeded = outcomes.filter((o) => o.ending === "ok").map((o) => o.ms);
  return {
    kills,
    requests: outcomes.length,
    failed: outcomes.length - succeeded.length,
    retried: retries.length,
    hangs: outcomes.filter((o) => o.ending === "HANG").length,
    p50Ms: Math.round(percentile(succeeded, 50)),
    p99Ms: Math.round(percentile(succeeded, 99)),
    serverErrors: [
      ...new Set([
        ...outcomes.filter(isServerError).map((o) => `${o.operation} ${o.ending} (${o.status})`),
        ...feeds.flatMap((feed) => feed.serverErrors.map((ending) => `subscription ${ending}`)),
      ]),
    ],
    operations: latencies(outcomes),
  };
}

/** Per operation: requests, failures, and the latency of its successes. */
function latencies(outcomes: Outcome[]): Record<string, string | number>[] {
  const names = [...new Set(outcomes.map((o) => o.operation))].sort();
  return names.map((operation) => {
    const mine = outcomes.filter((o) => o.operation === operation);
    const ok = mine.filter((o) => o.ending === "ok").map((o) => o.ms);
    return {
      operation,
      requests: mine.length,
      failed: mine.length - ok.length,
      p50Ms: Math.round(percentile(ok, 50)),
      p99Ms: Math.round(percentile(ok, 99)),
      maxMs: Math.round(Math.max(0, ...mine.map((o) => o.ms))),
    };
  });
}

/** From `killedAt` until each operation's first success sent after it had ended. */
function recoveryFrom(killedAt: number, during: Outcome[]): number {
  const firstSuccess = new Map<string, number>();
  for (const o of during) {
    if (o.ending !== "ok" || firstSuccess.has(o.operation)) continue;
    firstSuccess.set(o.operation, o.sentAt + o.ms);
  }
  return Math.max(0, ...firstSuccess.values()) - killedAt;
}

/** Prints a report, as the benchmark and the test show it. */
export function printReport(report: ScaleReport): void {
  const { kills, operations, streams, ...totals } = report;
  console.log("\nKills, in turn (each one's figures run until the next):");
  console.table(kills);
  console.log("Streams:");
  console.table(streams);
  console.log("Operations:");
  console.table(operations);
  console.log(JSON.stringify(totals, null, 2));
}
