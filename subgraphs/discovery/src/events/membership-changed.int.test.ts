import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addPerson,
  startDiscoveryHarness,
  type DiscoveryHarness,
} from "../testing/discovery-harness.ts";

let harness: DiscoveryHarness;
beforeAll(() => {
  harness = startDiscoveryHarness();
});
afterAll(() => harness?.close());

const snapshot = (userId: string, version: number, isPremium: boolean) => ({
  userId,
  version,
  isPremium,
  status: isPremium ? ("ACTIVE" as const) : ("CANCELED" as const),
  planId: "premium-monthly",
  currentPeriodEnd: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
});

const tierOf = async (userId: string) =>
  (await harness.prisma.candidate.findUniqueOrThrow({ where: { userId }, select: { tier: true } }))
    .tier;

describe("membership.changed", () => {
  it("sets the tier from newer snapshots only", async () => {
    const person = await addPerson(harness, {});
    expect(await tierOf(person.id)).toBe("FREE");
    await harness.deliver("membership.changed", snapshot(person.id, 2, true));
    expect(await tierOf(person.id)).toBe("PREMIUM");
    await harness.deliver("membership.changed", snapshot(person.id, 1, false));
    expect(await tierOf(person.id)).toBe("PREMIUM");
    await harness.deliver("membership.changed", snapshot(person.id, 3, false));
    expect(await tierOf(person.id)).toBe("FREE");
  });

  it("holds for a profile that arrives after the membership", async () => {
    const userId = randomUUID();
    await harness.deliver("membership.changed", snapshot(userId, 1, true));
    await addPerson(harness, { userId });
    expect(await tierOf(userId)).toBe("PREMIUM");
  });
});
