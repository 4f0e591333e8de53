import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerWithProfile, type ProfileOptions } from "../support/fixtures.ts";
import { startStack, type Stack } from "../support/stack.ts";
import { WsTestClient } from "../support/ws-client.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Person = Awaited<ReturnType<typeof registerWithProfile>>;

function randomPlace() {
  return { latitude: -60 + Math.random() * 120, longitude: -180 + Math.random() * 360 };
}

async function couple(): Promise<[Person, Person]> {
  const place = randomPlace();
  const her: ProfileOptions = {
    displayName: "Alice",
    location: place,
    preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["MALE"] },
  };
  const him: ProfileOptions = {
    displayName: "Bob",
    gender: "MALE",
    interestedIn: ["FEMALE"],
    location: { latitude: place.latitude + 0.05, longitude: place.longitude },
    preferences: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["FEMALE"] },
  };
  const pair = await Promise.all([
    registerWithProfile(stack, her),
    registerWithProfile(stack, him),
  ]);
  await vi.waitFor(
    async () => {
      const count = await stack.prisma.candidate.count({
        where: { userId: { in: pair.map((p) => p.id) } },
      });
      expect(count).toBe(2);
    },
    { timeout: 15_000, interval: 50 },
  );
  return pair;
}

describe("matchCreated through the gateway", () => {
  it("reaches both people, each seeing the other with their profile", async () => {
    const [alice, bob] = await couple();
    const aliceSocket = await WsTestClient.connect(stack.gatewayUrl, alice.accessToken);
    const bobSocket = await WsTestClient.connect(stack.gatewayUrl, bob.accessToken);
    const aliceMatches = aliceSocket.subscribe("OnMatchCreated");
    const bobMatches = bobSocket.subscribe("OnMatchCreated");
    // The upstream subscriptions are asynchronous; a like before they exist would go unheard.
    await vi.waitFor(async () => {
      const channels = (await stack.redis.pubsub(
        "CHANNELS",
        `${stack.redisPrefix}live:*`,
      )) as string[];
      expect(channels.length).toBeGreaterThanOrEqual(2);
    });
    await alice.client.op("Swipe", { input: { targetUserId: bob.id, action: "LIKE" } });
    await bob.client.op("Swipe", { input: { targetUserId: alice.id, action: "LIKE" } });
    const [[forAlice], [forBob]] = await Promise.all([
      aliceMatches.results$(1),
      bobMatches.results$(1),
    ]);
    expect(forAlice!.errors).toBeUndefined();
    expect(forAlice!.data).toMatchObject({
      matchCreated: { user: { id: bob.id, profile: { displayName: "Bob", photos: [] } } },
    });
    expect(forBob!.data).toMatchObject({
      matchCreated: { user: { id: alice.id, profile: { displayName: "Alice", photos: [] } } },
    });
    await aliceSocket.close();
    await bobSocket.close();
  });
});
