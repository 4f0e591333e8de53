import { randomUUID } from "node:crypto";
import type { Viewer } from "@pulse/platform/server";
import { execute, parse, type GraphQLSchema } from "graphql";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCompetitionsSchema } from "../schema.ts";
import {
  newCompetition,
  newViewer,
  startCompetitionsHarness,
  type CompetitionsHarness,
} from "../testing/competitions-harness.ts";

let harness: CompetitionsHarness;
let schema: GraphQLSchema;
beforeAll(async () => {
  harness = startCompetitionsHarness();
  schema = await buildCompetitionsSchema();
});
afterAll(() => harness?.close());
afterEach(() => harness.clock.reset());

const HOUR = 60 * 60 * 1000;

/** The contract error a promise rejected with: code and field. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const { code, field } = (error as { extensions: Record<string, unknown> }).extensions;
    return field === undefined ? { code } : { code, field };
  }
  throw new Error("expected a failure");
}

async function run(viewer: Viewer | null, query: string, variables: Record<string, unknown> = {}) {
  const result = await execute({
    schema,
    document: parse(query),
    variableValues: variables,
    contextValue: harness.context(viewer),
  });
  return result as { data?: Record<string, any>; errors?: readonly any[] };
}

function outboxEvents(type: string, competitionId: string) {
  return harness.prisma.competitionsOutboxEvent.findMany({
    where: { type, payload: { path: ["competitionId"], equals: competitionId } },
  });
}

describe("createCompetition", () => {
  const valid = () => {
    const now = Date.now();
    return {
      name: "  Step it up  ",
      metric: "STEPS",
      startsAt: new Date(now + HOUR),
      endsAt: new Date(now + 7 * 24 * HOUR),
    };
  };

  it("creates an UPCOMING competition, trimmed, and tells billing in the same transaction", async () => {
    const creator = newViewer();
    const competition = await harness.competitions.create(creator, {
      ...valid(),
      entryFeeCents: 500,
      currency: "EUR",
      maxParticipants: 10,
    });
    expect(competition).toMatchObject({
      name: "Step it up",
      entryFeeCents: 500,
      currency: "eur",
      maxParticipants: 10,
      createdBy: creator.id,
      participantCount: 0,
    });
    const [event] = await outboxEvents("competition.created", competition.id);
    expect(event!.payload).toEqual({
      competitionId: competition.id,
      name: "Step it up",
      entryFeeCents: 500,
      currency: "eur",
      startsAt: competition.startsAt.toISOString(),
      endsAt: competition.endsAt.toISOString(),
    });
    const { data } = await run(
      creator,
      `query ($id: ID!) { competition(id: $id) { status entryFee { amountCents currency } } }`,
      { id: competition.id },
    );
    expect(data!.competition).toEqual({
      status: "UPCOMING",
      entryFee: { amountCents: 500, currency: "eur" },
    });
  });

  it("refuses what breaks a rule, naming the field", async () => {
    const now = Date.now();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: "   " }, "input.name"],
      [{ name: "x".repeat(81) }, "input.name"],
      [{ endsAt: new Date(now + HOUR) }, "input.endsAt"],
      [{ endsAt: new Date(now + 400 * 24 * HOUR) }, "input.endsAt"],
      [{ startsAt: new Date(now - 3 * HOUR), endsAt: new Date(now - HOUR) }, "input.endsAt"],
      [{ entryFeeCents: -1 }, "input.entryFeeCents"],
      [{ currency: "xyz" }, "input.currency"],
      [{ maxParticipants: 1 }, "input.maxParticipants"],
    ];
    for (const [change, field] of cases) {
      expect(
        await failure(harness.competitions.create(newViewer(), { ...valid(), ...change })),
      ).toEqual({ code: "BAD_USER_INPUT", field });
    }
  });
});

describe("competitions", () => {
  it("derives the status from the clock, never stale", async () => {
    const competition = await newCompetition(harness, {
      startsAt: new Date(Date.now() + HOUR),
      endsAt: new Date(Date.now() + 2 * HOUR),
    });
    const status = async () =>
      (
        await run(newViewer(), `query ($id: ID!) { competition(id: $id) { status } }`, {
          id: competition.id,
        })
      ).data!.competition.status;
    expect(await status()).toBe("UPCOMING");
    harness.clock.set(new Date(Date.now() + 1.5 * HOUR));
    expect(await status()).toBe("ACTIVE");
    harness.clock.set(new Date(Date.now() + 2 * HOUR));
    expect(await status()).toBe("FINISHED");
  });

  it("pages by keyset in start order, of one status, with isJoined and participantCount batched", async () => {
    // A window far from other tests' competitions: from 300 days on, one a minute.
    const base = Date.now() + 300 * 24 * HOUR + Math.floor(Math.random() * 1000) * 10 * HOUR;
    const viewer = newViewer();
    const made = [];
    for (let i = 0; i < 5; i += 1) {
      made.push(
        await newCompetition(harness, {
          startsAt: new Date(base + i * 60_000),
          endsAt: new Date(base + 2 * HOUR),
        }),
      );
    }
    // Seen from the moment just before the first starts: all five upcoming, nothing before them.
    harness.clock.set(new Date(base - 1000));
    await harness.competitions.join(viewer, made[1]!.id);
    await harness.competitions.join(newViewer(), made[1]!.id);
    await harness.competitions.join(viewer, made[3]!.id);
    const query = `query ($after: String) {
      competitions(status: UPCOMING, first: 2, after: $after) {
        edges { cursor node { id status participantCount isJoined } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    // Skip to the first of ours: other tests' upcoming competitions start earlier.
    const pages: any[] = [];
    let after: string | null = null;
    const ids = new Set(made.map((c) => c.id));
    const seen: any[] = [];
    for (let guard = 0; guard < 500; guard += 1) {
      harness.statements.reset();
      const { data, errors } = await run(viewer, query, { after });
      expect(errors).toBeUndefined();
      // The page, then the viewer's participation in all of it: two statements.
      expect(harness.statements.count).toBe(2);
      const page = data!.competitions;
      pages.push(page);
      seen.push(...page.edges.map((e: any) => e.node).filter((n: any) => ids.has(n.id)));
      if (!page.pageInfo.hasNextPage || seen.length === made.length) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      made.map((c, i) => ({
        id: c.id,
        status: "UPCOMING",
        participantCount: i === 1 ? 2 : i === 3 ? 1 : 0,
        isJoined: i === 1 || i === 3,
      })),
    );
    expect((await run(viewer, query, { after: "bogus" })).errors![0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "after",
    });
  });
});

describe("joinCompetition and leaveCompetition", () => {
  it("joins once; twice is CONFLICT; leaving and rejoining work until it finishes", async () => {
    const competition = await newCompetition(harness);
    const viewer = newViewer();
    expect((await harness.competitions.join(viewer, competition.id)).participantCount).toBe(1);
    expect(await failure(harness.competitions.join(viewer, competition.id))).toEqual({
      code: "CONFLICT",
    });
    expect((await harness.competitions.leave(viewer, competition.id)).participantCount).toBe(0);
    expect(await failure(harness.competitions.leave(viewer, competition.id))).toEqual({
      code: "CONFLICT",
    });
    await harness.competitions.join(viewer, competition.id);
    harness.clock.set(new Date(competition.endsAt.getTime() + 1000));
    expect(await failure(harness.competitions.leave(viewer, competition.id))).toEqual({
      code: "CONFLICT",
    });
    expect(await failure(harness.competitions.join(newViewer(), competition.id))).toEqual({
      code: "CONFLICT",
    });
    expect(await failure(harness.competitions.join(viewer, randomUUID()))).toEqual({
      code: "NOT_FOUND",
    });
  });

  it("holds maxParticipants when twenty people take the last place at once: exactly one gets in", async () => {
    const competition = await newCompetition(harness, { maxParticipants: 3 });
    await harness.competitions.join(newViewer(), competition.id);
    await harness.competitions.join(newViewer(), competition.id);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => harness.competitions.join(newViewer(), competition.id)),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const codes = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => (r.reason as { extensions: { code: string } }).extensions.code);
    expect(won).toHaveLength(1);
    expect(codes).toEqual(Array(19).fill("CONFLICT"));
    const stored = await harness.prisma.competition.findUniqueOrThrow({
      where: { id: competition.id },
    });
    expect(stored.participantCount).toBe(3);
    expect(
      await harness.prisma.competitionParticipant.count({
        where: { competitionId: competition.id },
      }),
    ).toBe(3);
  });
});

describe("entry fees", () => {
  const paid = (competitionId: string, userId: string, paymentId = randomUUID()) =>
    harness.deliver("entry.paid", {
      paymentId,
      competitionId,
      userId,
      amountCents: 500,
      currency: "usd",
      paidAt: new Date().toISOString(),
    });
  const refunded = (competitionId: string, userId: string, paymentId: string) =>
    harness.deliver("entry.refunded", {
      paymentId,
      competitionId,
      userId,
      refundedAt: new Date().toISOString(),
    });

  it("needs a paid entry: PAYMENT_REQUIRED until entry.paid, which seats the person", async () => {
    const competition = await newCompetition(harness, { entryFeeCents: 500 });
    const viewer = newViewer();
    expect(await failure(harness.competitions.join(viewer, competition.id))).toEqual({
      code: "PAYMENT_REQUIRED",
    });
    const paymentId = randomUUID();
    await paid(competition.id, viewer.id, paymentId);
    // entry.paid joined them; joining again is a conflict, and a redelivery changes nothing.
    expect(await failure(harness.competitions.join(viewer, competition.id))).toEqual({
      code: "CONFLICT",
    });
    await paid(competition.id, viewer.id, paymentId);
    // Leaving keeps the entry paid: rejoining costs nothing.
    await harness.competitions.leave(viewer, competition.id);
    expect((await harness.competitions.join(viewer, competition.id)).participantCount).toBe(1);
    // A refund ends the paid entry and the participation.
    await refunded(competition.id, viewer.id, paymentId);
    const row = await harness.prisma.competition.findUniqueOrThrow({
      where: { id: competition.id },
    });
    expect(row.participantCount).toBe(0);
    expect(await failure(harness.competitions.join(viewer, competition.id))).toEqual({
      code: "PAYMENT_REQUIRED",
    });
    const standing = await harness.leaderboards.standing(competition.id, viewer.id);
    expect(standing).toBeNull();
  });

  it("declines a paid entry it cannot seat (full or finished), for billing to refund", async () => {
    const full = await newCompetition(harness, { entryFeeCents: 500, maxParticipants: 2 });
    await paid(full.id, randomUUID());
    await paid(full.id, randomUUID());
    const late = randomUUID();
    const paymentId = randomUUID();
    await paid(full.id, late, paymentId);
    const [declined] = await outboxEvents("entry.declined", full.id);
    expect(declined!.payload).toEqual({
      paymentId,
      competitionId: full.id,
      userId: late,
      reason: "FULL",
    });
    const finished = await newCompetition(harness, { entryFeeCents: 500 });
    harness.clock.set(new Date(finished.endsAt.getTime() + 1000));
    await paid(finished.id, randomUUID());
    const [event] = await outboxEvents("entry.declined", finished.id);
    expect(event!.payload).toMatchObject({ reason: "FINISHED" });
  });

  it("a refund that arrives before its payment leaves nobody seated", async () => {
    const competition = await newCompetition(harness, { entryFeeCents: 500 });
    const userId = randomUUID();
    const paymentId = randomUUID();
    await refunded(competition.id, userId, paymentId);
    await paid(competition.id, userId, paymentId);
    expect(
      await harness.prisma.competitionParticipant.count({
        where: { competitionId: competition.id },
      }),
    ).toBe(0);
  });
});
