import { randomUUID } from "node:crypto";
import type { Competition as CompetitionRow } from "@pulse/db";
import { type Viewer } from "@pulse/platform/server";
import {
  Outbox,
  StatementCounter,
  type DomainEventPayload,
  type DomainEventType,
  type EventHandlers,
} from "@pulse/platform/subgraph";
import { connectHarness, type HarnessInfrastructure } from "@pulse/testkit/subgraph-harness";
import {
  createCompetitionsContext,
  type CompetitionsContext,
  type CompetitionsServices,
} from "../context.ts";
import { competitionsEventHandlers } from "../events/event-handlers.ts";
import { createCompetitionsServices } from "../server.ts";

/** A clock tests can move: real time plus an offset. */
export class TestClock {
  offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  /** Moves the clock to `at` (from now on, time runs from there). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

/**
 * Competitions' services on this run's database and a Redis prefix of their own, with a clock
 * tests can move, for integration tests that call the services and deliver events.
 */
export interface CompetitionsHarness
  extends CompetitionsServices, Omit<HarnessInfrastructure, "deliver" | "logger" | "prisma"> {
  statements: StatementCounter;
  clock: TestClock;
  context(viewer: Viewer | null): CompetitionsContext;
  deliver<Type extends DomainEventType>(
    type: Type,
    payload: DomainEventPayload<Type>,
  ): Promise<void>;
}

export function startCompetitionsHarness(): CompetitionsHarness {
  const statements = new StatementCounter();
  const clock = new TestClock();
  const { deliver, ...infra } = connectHarness("competitions", { statementCounter: statements });
  const services = createCompetitionsServices({
    ...infra,
    outbox: new Outbox("competitions"),
    now: clock.now,
  });
  const handlers = competitionsEventHandlers(services);
  return {
    ...infra,
    ...services,
    statements,
    clock,
    context: (viewer) =>
      createCompetitionsContext(
        { viewer, clientIp: "127.0.0.1", requestId: randomUUID() },
        services,
      ),
    // Runs a handler as the consumer does, then the work it left for after the commit.
    deliver: async (type, payload) => {
      const handler = handlers[type] as unknown as (
        event: unknown,
        tx: unknown,
      ) => Promise<void | (() => Promise<void>)>;
      let after: (() => Promise<void>) | undefined;
      const recording: EventHandlers = {
        [type]: async (event: unknown, tx: unknown) => {
          after = (await handler(event, tx)) ?? undefined;
        },
      };
      await deliver(recording, type, payload);
      await after?.();
    },
  };
}

/** A new signed-in person. */
export function newViewer(): Viewer {
  return { id: randomUUID(), role: "USER", sessionId: randomUUID() };
}

const HOUR = 60 * 60 * 1000;

/** Creates an ACTIVE competition (started two hours ago, ending in a day) unless told otherwise. */
export async function newCompetition(
  harness: CompetitionsHarness,
  fields: Record<string, unknown> = {},
  creator: Viewer = newViewer(),
): Promise<CompetitionRow> {
  const now = harness.clock.now().getTime();
  return harness.competitions.create(creator, {
    name: `Competition ${randomUUID().slice(0, 8)}`,
    metric: "STEPS",
    startsAt: new Date(now - 2 * HOUR),
    endsAt: new Date(now + 24 * HOUR),
    ...fields,
  });
}

/** A record of `value` of `metric`, ending `minutesAgo` minutes ago and lasting an hour. */
export function record(
  value: number,
  options: { metric?: string; externalId?: string; endedAt?: Date } = {},
) {
  const endedAt = options.endedAt ?? new Date(Date.now() - 60_000);
  return {
    externalId: options.externalId ?? randomUUID(),
    metric: options.metric ?? "STEPS",
    value,
    startedAt: new Date(endedAt.getTime() - HOUR),
    endedAt,
  };
}
