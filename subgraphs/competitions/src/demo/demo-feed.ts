import { randomUUID } from "node:crypto";
import type { Logger, Viewer } from "@pulse/platform/server";
import type { CompetitionsServices } from "../context.ts";

/** Names of the demo competitions `pnpm dev` seeds (scripts/dev/demo-data.ts). */
export const DEMO_ACTIVE = "Pulse demo: December steps";
export const DEMO_FINISHED = "Pulse demo: November steps";

/** Demo participants without accounts (random ids: their `user.profile` is null). */
const DEMO_CROWD = 200;
/** Participants that move on each tick. */
const MOVERS_PER_TICK = 5;
const HOUR = 60 * 60 * 1000;

/**
 * Development only (`DEMO_ACTIVITY_MS`): keeps the demo world alive. Once the seeder has created
 * the active demo competition and joined Alice, Bob and Carol to it, this fills it with a crowd,
 * creates a finished competition whose ratings moved, and then, every tick, syncs a little
 * activity for a few participants, so a leaderboard in Sandbox moves by itself.
 */
export class DemoFeed {
  private crowd: Viewer[] = [];
  private ready = false;
  private busy = false;

  constructor(
    private readonly services: CompetitionsServices,
    private readonly logger: Logger,
  ) {}

  /** One step of the feed; a step still running makes the next one skip. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.step();
    } finally {
      this.busy = false;
    }
  }

  private async step(): Promise<void> {
    const active = await this.services.prisma.competition.findFirst({
      where: { name: DEMO_ACTIVE },
      orderBy: { createdAt: "desc" },
    });
    // The seeder has not made it yet.
    if (!active) return;
    if (!this.ready) await this.prepare(active.id);
    const movers = Array.from(
      { length: MOVERS_PER_TICK },
      () => this.crowd[Math.floor(Math.random() * this.crowd.length)]!,
    );
    for (const mover of movers) {
      await this.services.activity.sync(mover, {
        source: "MANUAL",
        records: [demoRecord(Math.floor(500 + Math.random() * 2500))],
      });
    }
  }

  private async prepare(activeId: string): Promise<void> {
    const { prisma, competitions, index } = this.services;
    const existing = await prisma.competitionParticipant.findMany({
      where: { competitionId: activeId },
      select: { userId: true },
    });
    this.crowd = existing.map(({ userId }) => viewer(userId));
    const accounts = [...this.crowd];
    for (let i = existing.length; i < DEMO_CROWD; i += 1) {
      const person = viewer(randomUUID());
      const seated = await prisma.$transaction((tx) =>
        competitions.seat(tx, activeId, person.id, { requirePaid: false }),
      );
      if (seated.seated) await index.applyQuietly(activeId, [seated.write]);
      this.crowd.push(person);
    }
    const finished = await prisma.competition.findFirst({ where: { name: DEMO_FINISHED } });
    if (!finished) await this.finishedCompetition(accounts);
    this.ready = true;
    this.logger.info({ participants: this.crowd.length }, "demo activity feed running");
  }

  /** A competition that ended yesterday, with the demo accounts and a crowd, ratings applied. */
  private async finishedCompetition(accounts: Viewer[]): Promise<void> {
    const { prisma, competitions, ratings } = this.services;
    const now = Date.now();
    const creator = accounts[0] ?? viewer(randomUUID());
    const made = await competitions.create(creator, {
      name: DEMO_FINISHED,
      description: "A finished demo competition: its standings moved the rating ladder.",
      metric: "STEPS",
      startsAt: new Date(now - 7 * 24 * HOUR),
      endsAt: new Date(now + HOUR),
    });
    const people = [...accounts, ...Array.from({ length: 30 }, () => viewer(randomUUID()))];
    for (const person of people) {
      await prisma.$transaction((tx) =>
        competitions.seat(tx, made.id, person.id, { requirePaid: false }),
      );
    }
    // Final scores, then the window moves into the past: it finished.
    await prisma.$executeRaw`UPDATE competitions.participant
      SET score_milli = floor(random() * 80000) * 1000, version = nextval('competitions.score_version_seq')
      WHERE competition_id = ${made.id}::uuid`;
    await prisma.competition.update({
      where: { id: made.id },
      data: { endsAt: new Date(now - 24 * HOUR) },
    });
    await ratings.applyFinish(made.id);
  }
}

function viewer(id: string): Viewer {
  return { id, role: "USER", sessionId: id };
}

function demoRecord(steps: number) {
  const endedAt = Date.now() - 1000;
  return {
    externalId: randomUUID(),
    metric: "STEPS",
    value: steps,
    startedAt: new Date(endedAt - 30 * 60_000),
    endedAt: new Date(endedAt),
  };
}
