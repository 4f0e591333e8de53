import { randomUUID } from "node:crypto";
import type { Match as MatchRow } from "@pulse/db";
import { createLogger, type Viewer } from "@pulse/platform/server";
import { Outbox } from "@pulse/platform/subgraph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCouple,
  matchEndedEvents,
  matchIds as ids,
  matchPair,
  startDiscoveryHarness,
  type DiscoveryHarness,
} from "../testing/discovery-harness.ts";
import { matchCreatedTopic, toLive } from "./match-created.topic.ts";
import { matchCursor, matchFeedCursor } from "./match.cursor.ts";
import { matchPosition } from "./match.view.ts";
import { MatchService } from "./match.service.ts";

let harness: DiscoveryHarness;
beforeAll(() => {
  harness = startDiscoveryHarness();
});
afterAll(() => harness?.close());

const match = (a: Viewer, b: Viewer) => matchPair(harness, a, b);
const endedEventOf = (matchId: string) => matchEndedEvents(harness, matchId);

describe("matches", () => {
  it("pages newest first with `after`, each showing the other person", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2, 3].map(() => addCouple(harness)));
    const matchIds: string[] = [];
    for (const [, other] of others) matchIds.push(await match(alice, other));
    const newestFirst = [...matchIds].reverse();

    const first = await harness.matches.list(alice, 2, undefined);
    expect(ids(first)).toEqual(newestFirst.slice(0, 2));
    expect(first.edges[0]!.node.user).toEqual({ id: others[2]![1].id });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, endCursor: first.edges[1]!.cursor });
    const second = await harness.matches.list(alice, 2, first.pageInfo.endCursor);
    expect(ids(second)).toEqual(newestFirst.slice(2));
    expect(second.pageInfo.hasNextPage).toBe(false);

    const seenByOther = await harness.matches.list(others[0]![1], 10, undefined);
    expect(seenByOther.edges.map((edge) => edge.node)).toEqual([
      { id: matchIds[0], matchedAt: expect.any(Date), user: { id: alice.id } },
    ]);
  });

  it("refuses a cursor it did not make", async () => {
    const [alice] = await addCouple(harness);
    await expect(harness.matches.list(alice, 2, "bogus")).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "after" },
    });
  });
});

describe("unmatch", () => {
  it("ends the match for both and publishes match.ended", async () => {
    const [alice, bob] = await addCouple(harness);
    const matchId = await match(alice, bob);
    expect(await harness.matches.unmatch(bob, matchId)).toBe(true);
    expect(await harness.matches.unmatch(bob, matchId)).toBe(true);
    expect(ids(await harness.matches.list(alice, 10, undefined))).toEqual([]);
    expect(ids(await harness.matches.list(bob, 10, undefined))).toEqual([]);
    expect(await endedEventOf(matchId)).toEqual([
      {
        matchId,
        userIds: [alice.id, bob.id].sort(),
        endedAt: expect.any(String),
        reason: "UNMATCHED",
      },
    ]);
  });

  it("is NOT_FOUND for someone else's match or an unknown id", async () => {
    const [alice, bob] = await addCouple(harness);
    const [carol] = await addCouple(harness);
    const matchId = await match(alice, bob);
    for (const [viewer, id] of [
      [carol, matchId],
      [alice, randomUUID()],
      [alice, "nope"],
    ] as const) {
      await expect(harness.matches.unmatch(viewer, id)).rejects.toMatchObject({
        extensions: { code: "NOT_FOUND" },
      });
    }
  });
});

describe("the matchCreated feed", () => {
  /** The resume position after match `matchId` among `viewer`'s matches, as its event carries it. */
  async function resumeAfter(viewer: Viewer, matchId: string): Promise<string> {
    const row = await harness.prisma.match.findUniqueOrThrow({ where: { id: matchId } });
    return matchFeedCursor(matchPosition(row, viewer.id).toString());
  }

  it("places each match among both people's matches, in the order made", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2, 3].map(() => addCouple(harness)));
    const made: string[] = [];
    for (const [, other] of others) made.push(await match(alice, other));
    const rows = await harness.prisma.match.findMany({ where: { id: { in: made } } });
    const placeOf = (id: string, userId: string) =>
      matchPosition(
        rows.find((row) => row.id === id)!,
        userId,
      );
    expect(made.map((id) => placeOf(id, alice.id))).toEqual([1n, 2n, 3n]);
    expect(made.map((id, index) => placeOf(id, others[index]![1].id))).toEqual([1n, 1n, 1n]);
  });

  it("resumed after a match, replays the current matches made since, then goes on live", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2, 3, 4].map(() => addCouple(harness)));
    const madeWithNext = (index: number) => match(alice, others[index]![1]);
    const seenId = await madeWithNext(0);
    const missedId = await madeWithNext(1);
    const endedId = await madeWithNext(2);
    await harness.matches.unmatch(alice, endedId);

    const feed = await harness.matches.feed(alice, {
      resumeAfter: await resumeAfter(alice, seenId),
    });
    const liveId = await madeWithNext(3);
    const delivered = [(await feed.next()).value, (await feed.next()).value];
    expect(delivered).toEqual([
      {
        id: missedId,
        matchedAt: expect.any(String),
        user: { id: others[1]![1].id },
        position: "2",
      },
      { id: liveId, matchedAt: expect.any(String), user: { id: others[3]![1].id }, position: "4" },
    ]);
    await feed.return!();
  });

  it("resumes by the order made, not by the time stamped", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2].map(() => addCouple(harness)));
    const seenId = await match(alice, others[0]![1]);
    const laterId = await match(alice, others[1]![1]);
    const seen = await harness.prisma.match.findUniqueOrThrow({ where: { id: seenId } });
    // As if its transaction stamped it before `seen` and committed after it.
    await harness.prisma.match.update({
      where: { id: laterId },
      data: { matchedAt: new Date(seen.matchedAt.getTime() - 1000) },
    });
    const feed = await harness.matches.feed(alice, {
      resumeAfter: await resumeAfter(alice, seenId),
    });
    expect((await feed.next()).value).toMatchObject({ id: laterId });
    await feed.return!();
  });

  it("emits matches in the order made when their live copies arrive out of it", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2, 3].map(() => addCouple(harness)));
    const feed = await harness.matches.feed(alice, {});
    // Made without being announced, then announced the other way round, as two replicas
    // racing after their commits may.
    const made: MatchRow[] = [];
    for (const [, other] of others.slice(0, 2)) {
      const row = await harness.prisma.$transaction((tx) =>
        harness.matches.create(tx, alice.id, other.id),
      );
      made.push(row!);
    }
    const topic = matchCreatedTopic(alice.id);
    await harness.live.publish(topic, toLive(made[1]!, alice.id));
    const nextId = async () => ((await feed.next()).value as { id: string }).id;
    expect([await nextId(), await nextId()]).toEqual(made.map((row) => row.id));
    // The first's own copy, late, was emitted already.
    await harness.live.publish(topic, toLive(made[0]!, alice.id));
    const third = await match(alice, others[2]![1]);
    expect(await nextId()).toBe(third);
    await feed.return!();
  });

  it("emits a match made while it subscribes, whose live copy it could not hear, at once", async () => {
    const [alice, bob] = await addCouple(harness);
    let madeId: string | undefined;
    // Made (and announced) after the read of where Alice starts, before Redis confirmed her
    // subscription.
    const live = Object.create(harness.live) as typeof harness.live;
    live.subscribe = async <T>(topic: string | string[]) => {
      madeId = await match(alice, bob);
      return harness.live.subscribe<T>(topic);
    };
    const matches = new MatchService({
      prisma: harness.prisma,
      outbox: new Outbox("discovery"),
      live,
      logger: createLogger("discovery", "silent"),
    });
    const feed = await matches.feed(alice, {});
    expect((await feed.next()).value).toMatchObject({ id: madeId, user: { id: bob.id } });
    await feed.return!();
  });

  it("replays a page at a time, each match once", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2, 3, 4, 5].map(() => addCouple(harness)));
    const madeWithNext = (index: number) => match(alice, others[index]![1]);
    const seenId = await madeWithNext(0);
    const missed = [await madeWithNext(1), await madeWithNext(2)];
    const matches = new MatchService({
      prisma: harness.prisma,
      outbox: new Outbox("discovery"),
      live: harness.live,
      logger: createLogger("discovery", "silent"),
      replayPageSize: 2,
    });
    const feed = await matches.feed(alice, { resumeAfter: await resumeAfter(alice, seenId) });
    // Made once the first page is read: heard live, and read again by a later page.
    const meanwhile = await madeWithNext(3);
    const nextId = async () => ((await feed.next()).value as { id: string }).id;
    for (const id of [...missed, meanwhile]) expect(await nextId()).toBe(id);
    // The second page was short: live now, where the copy of `meanwhile` is skipped.
    const after = await madeWithNext(4);
    expect(await nextId()).toBe(after);
    await feed.return!();
  });

  it("started from when the subscriber asked, replays the matches made since, then goes on live", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2, 3].map(() => addCouple(harness)));
    const madeWithNext = (index: number) => match(alice, others[index]![1]);
    const before = await madeWithNext(0);
    // Stamped well before the subscriber asked.
    await harness.prisma.match.update({
      where: { id: before },
      data: { matchedAt: new Date(Date.now() - 10_000) },
    });
    // Made after the subscriber asked, before its subscription reached discovery.
    const missedId = await madeWithNext(1);
    const missed = await harness.prisma.match.findUniqueOrThrow({ where: { id: missedId } });

    const feed = await harness.matches.feed(alice, { since: missed.matchedAt });
    const liveId = await madeWithNext(2);
    const nextId = async () => ((await feed.next()).value as { id: string }).id;
    expect([await nextId(), await nextId()]).toEqual([missedId, liveId]);
    await feed.return!();
  });

  it("started after a client's match cursor, replays the current matches made after it", async () => {
    const [alice] = await addCouple(harness);
    const others = await Promise.all([1, 2].map(() => addCouple(harness)));
    const seenId = await match(alice, others[0]![1]);
    const missedId = await match(alice, others[1]![1]);
    const seen = await harness.prisma.match.findUniqueOrThrow({ where: { id: seenId } });

    const feed = await harness.matches.feed(alice, { after: matchCursor(seen) });
    expect((await feed.next()).value).toMatchObject({ id: missedId, position: "2" });
    await feed.return!();
  });

  it("refuses a cursor of a match the viewer is not in", async () => {
    const [alice, bob] = await addCouple(harness);
    const [carol] = await addCouple(harness);
    const row = await harness.prisma.match.findUniqueOrThrow({
      where: { id: await match(alice, bob) },
    });
    await expect(harness.matches.feed(carol, { after: matchCursor(row) })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "after" },
    });
  });

  it("refuses a resume position it did not make", async () => {
    const [alice] = await addCouple(harness);
    await expect(harness.matches.feed(alice, { resumeAfter: "bogus" })).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "resumeAfter" },
    });
  });
});
