import { placeOfItsOwn } from "./places.ts";
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { eventually } from "./eventually.ts";
import type { ApiClient } from "./api-client.ts";
import type { Stack } from "./stack.ts";

/**
 * What the fixtures use of a stack: its API (through its gateway), its database and Redis. A
 * test that runs its services otherwise (the release test) passes an object of its own.
 */
export type FixtureStack = Pick<Stack, "client" | "prisma" | "redis" | "untilReadReplicaCaughtUp">;

/** A password that meets the contract's rule. */
export const PASSWORD = "Str0ng!Passw0rd";

/** An email address no other test uses. */
export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomBytes(5).toString("hex")}@example.test`;
}

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** A gateway client signed in as this person. */
  client: ApiClient;
}

/** Registers a new person through the gateway with the contract's `Register` operation. */
export async function registerUser(
  stack: FixtureStack,
  options: { email?: string; password?: string } = {},
): Promise<RegisteredUser> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? PASSWORD;
  const anonymous = stack.client();
  const response = await anonymous.op("Register", { input: { email, password } });
  expect(response.errors).toBeUndefined();
  const session = response.data!.register;
  return {
    id: session.user.id,
    email,
    password,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    client: anonymous.withToken(session.accessToken),
  };
}

/** A photo upload as `RequestPhotoUpload` grants it. */
export interface PhotoUpload {
  photoId: string;
  uploadUrl: string;
  uploadMethod: string;
  uploadFields: { name: string; value: string }[];
  expiresAt: string;
}

/** Requests an upload and sends `bytes` to it as the apps do (multipart POST, file last). */
export async function uploadPhoto(
  user: Pick<RegisteredUser, "client">,
  bytes: Buffer,
  declared: { contentType?: string; byteSize?: number } = {},
): Promise<PhotoUpload> {
  const contentType = declared.contentType ?? "image/jpeg";
  const response = await user.client.op("RequestPhotoUpload", {
    input: { contentType, byteSize: declared.byteSize ?? bytes.length },
  });
  expect(response.errors).toBeUndefined();
  const grant = response.data!.requestPhotoUpload as PhotoUpload;
  expect(grant.uploadMethod).toBe("POST");
  const form = new FormData();
  for (const { name, value } of grant.uploadFields) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }));
  const sent = await fetch(grant.uploadUrl, { method: "POST", body: form });
  expect(sent.status, await sent.text()).toBeLessThan(300);
  return grant;
}

/** The token in the newest email to `email` whose subject contains `subject`. */
export async function mailedToken(
  stack: FixtureStack,
  email: string,
  subject: string,
): Promise<string> {
  const message = await stack.prisma.mailMessage.findFirstOrThrow({
    where: { recipient: email, subject: { contains: subject } },
    orderBy: { createdAt: "desc" },
  });
  const token = /[?&]token=([\w-]+)/.exec(message.body)?.[1];
  if (!token) throw new Error(`no token in mail "${message.subject}"`);
  return token;
}

/** A birthdate that makes someone `age` years old today (their birthday was a month ago). */
export function birthdateForAge(age: number, today = new Date()): string {
  const date = new Date(
    Date.UTC(today.getUTCFullYear() - age, today.getUTCMonth() - 1, today.getUTCDate()),
  );
  return date.toISOString().slice(0, 10);
}

/** A username no other test uses, starting with `tag`. */
export function uniqueUsername(tag = "user"): string {
  return `${tag}_${randomBytes(4).toString("hex")}`;
}

export interface ProfileOptions {
  displayName?: string;
  username?: string;
  birthdate?: string;
  gender?: "FEMALE" | "MALE" | "NON_BINARY";
  interestedIn?: ("FEMALE" | "MALE" | "NON_BINARY")[];
  bio?: string | null;
  /** Also shares this location (`UpdateLocation`). */
  location?: { latitude: number; longitude: number; city?: string; country?: string };
  /** Also sets these preferences (`UpdatePreferences`). */
  preferences?: {
    minAge: number;
    maxAge: number;
    maxDistanceKm: number;
    genders: ("FEMALE" | "MALE" | "NON_BINARY")[];
  };
}

/**
 * Gives `user` a profile through the gateway with the contract's `UpsertProfile` (30 years old,
 * female, interested in men, unless told otherwise), then optionally a location and preferences.
 *
 * @returns the profile as `UpsertProfile` answered it.
 */
export async function createProfile(
  user: Pick<RegisteredUser, "client">,
  options: ProfileOptions = {},
): Promise<Record<string, any>> {
  const { location, preferences, ...fields } = options;
  const input = {
    displayName: "Test Person",
    username: uniqueUsername(),
    birthdate: birthdateForAge(30),
    gender: "FEMALE",
    interestedIn: ["MALE"],
    bio: null,
    ...fields,
  };
  const response = await user.client.op("UpsertProfile", { input });
  expect(response.errors).toBeUndefined();
  if (location) {
    expect((await user.client.op("UpdateLocation", { input: location })).errors).toBeUndefined();
  }
  if (preferences) {
    const updated = await user.client.op("UpdatePreferences", { input: preferences });
    expect(updated.errors).toBeUndefined();
  }
  return response.data!.upsertProfile;
}

/** Registers a person and gives them a profile (see `createProfile`). */
export async function registerWithProfile(
  stack: FixtureStack,
  options: ProfileOptions = {},
): Promise<RegisteredUser & { profile: Record<string, any> }> {
  const user = await registerUser(stack);
  return { ...user, profile: await createProfile(user, options) };
}

export type PersonWithProfile = Awaited<ReturnType<typeof registerWithProfile>>;

/**
 * Waits until discovery's read model holds each person's latest profile snapshot, on the read
 * replica too when the run has one (`discover` reads there).
 */
export async function untilDiscoverable(
  stack: FixtureStack,
  ...people: PersonWithProfile[]
): Promise<void> {
  await untilInDiscoveryReadModel(stack, ...people);
  await stack.untilReadReplicaCaughtUp();
}

/** Waits until discovery's read model on the primary has each person's latest profile. */
export async function untilInDiscoveryReadModel(
  stack: FixtureStack,
  ...people: PersonWithProfile[]
): Promise<void> {
  const ids = people.map((person) => person.id);
  await eventually(
    async () => {
      const [profiles, candidates] = await Promise.all([
        stack.prisma.profile.findMany({
          where: { userId: { in: ids } },
          select: { userId: true, version: true },
        }),
        stack.prisma.candidate.findMany({
          where: { userId: { in: ids } },
          select: { userId: true, profileVersion: true },
        }),
      ]);
      const applied = new Map(candidates.map((row) => [row.userId, row.profileVersion]));
      expect(profiles.map((p) => applied.get(p.userId) === p.version)).toEqual(ids.map(() => true));
    },
    { timeout: 15_000, interval: 50 },
  );
}

export interface MatchedPair {
  /** A 30-year-old woman, displayed as "Alice". */
  alice: PersonWithProfile;
  /** A 30-year-old man 5 km north of her, displayed as "Bob". */
  bob: PersonWithProfile;
  /** Where Alice is. */
  place: { latitude: number; longitude: number };
  matchId: string;
  /** The conversation chat opened for the match. */
  conversationId: string;
}

const preferences = { minAge: 25, maxAge: 40, maxDistanceKm: 50 };

/**
 * Registers Alice and Bob with profiles near each other, each in the other's preferences, and
 * waits until discovery can show them to each other. Given an earlier pair, a new Bob for its
 * Alice.
 */
export async function discoverablePair(
  stack: FixtureStack,
  earlier?: Pick<MatchedPair, "alice" | "place">,
): Promise<Omit<MatchedPair, "matchId" | "conversationId">> {
  const place = earlier?.place ?? (await placeOfItsOwn(stack.redis));
  const [alice, bob] = await Promise.all([
    earlier?.alice ??
      registerWithProfile(stack, {
        displayName: "Alice",
        location: place,
        preferences: { ...preferences, genders: ["MALE"] },
      }),
    registerWithProfile(stack, {
      displayName: "Bob",
      gender: "MALE",
      interestedIn: ["FEMALE"],
      location: { latitude: place.latitude + 5 / 111.195, longitude: place.longitude },
      preferences: { ...preferences, genders: ["FEMALE"] },
    }),
  ]);
  await untilDiscoverable(stack, alice, bob);
  return { alice, bob, place };
}

/**
 * A {@link discoverablePair} made a match by liking each other through the gateway (`Swipe`),
 * once chat has opened their conversation (on the read replica too, when the run has one: the
 * conversation list reads there). Given an earlier pair, matches its Alice with a new Bob.
 */
export async function matchedPair(
  stack: FixtureStack,
  earlier?: MatchedPair,
): Promise<MatchedPair> {
  const { alice, bob, place } = await discoverablePair(stack, earlier);
  const like = (from: PersonWithProfile, to: PersonWithProfile) =>
    from.client.op("Swipe", { input: { targetUserId: to.id, action: "LIKE" } });
  expect((await like(alice, bob)).errors).toBeUndefined();
  const matched = await like(bob, alice);
  expect(matched.errors).toBeUndefined();
  const matchId = matched.data!.swipe.match.id as string;
  const conversation = await eventually(
    async () => {
      const found = await stack.prisma.conversation.findUnique({
        where: { matchId },
        select: { id: true },
      });
      expect(found).not.toBeNull();
      return found!;
    },
    { timeout: 15_000, interval: 50 },
  );
  await stack.untilReadReplicaCaughtUp();
  return { alice, bob, place, matchId, conversationId: conversation.id };
}

/** The cursor of the newest message of a conversation, as `person` reads it. */
export async function newestMessageCursor(
  person: { client: ApiClient },
  conversationId: string,
): Promise<string> {
  const page = await person.client.op("ConversationMessages", { id: conversationId, first: 1 });
  return page.data!.conversation.messages.edges[0].cursor as string;
}
