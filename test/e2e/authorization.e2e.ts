import { randomUUID } from "node:crypto";
import sharp from "sharp";
import type { GraphQLFormattedError } from "graphql";
import type { ApiClient } from "@pulse/testkit/api-client";
import { eventually } from "@pulse/testkit/eventually";
import {
  birthdateForAge,
  mailedToken,
  matchedPair,
  PASSWORD,
  registerUser,
  registerWithProfile,
  uniqueEmail,
  uploadPhoto,
  type PersonWithProfile,
  type RegisteredUser,
} from "@pulse/testkit/fixtures";
import { liveListeners, untilListening } from "@pulse/testkit/live";
import { startStack, type Stack } from "@pulse/testkit/stack";
import { WsTestClient } from "@pulse/testkit/ws-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContractOperations } from "../../scripts/lib/contract-operations.ts";
import {
  ACTORS,
  AUTHORIZATION_TABLE,
  type Actor,
  type Outcome,
} from "../authz/authorization-table.ts";

// The authorization matrix: every contract operation as each actor of
// test/authz/authorization-table.ts, checked against the outcome the table gives.

const HOUR = 60 * 60 * 1000;

let stack: Stack;

/** The owner's things every row targets. */
interface World {
  owner: PersonWithProfile;
  matchId: string;
  conversationId: string;
  /** Confirmed photos of the owner. */
  photoIds: string[];
  /** An upload of the owner's, sent but not yet confirmed. */
  uploadedPhotoId: string;
  freeCompetitionId: string;
  paidCompetitionId: string;
  monthlyPlanId: string;
}

/** A signed-in actor, or anonymous with a person of its own for rows that need one. */
interface Caller {
  client: ApiClient;
  person: RegisteredUser & { profile?: Record<string, any> };
  token?: string;
}

let world: World;
const callers = {} as Record<Actor, Caller>;

const competitionInput = (name: string, entryFeeCents?: number) => ({
  name: `${name} ${randomUUID().slice(0, 6)}`,
  metric: "STEPS",
  startsAt: new Date(Date.now() - HOUR).toISOString(),
  endsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
  ...(entryFeeCents ? { entryFeeCents, currency: "usd" } : {}),
});

async function photo(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: "#7a5" } })
    .jpeg()
    .toBuffer();
}

/** Signs `person` in again, so the new access token carries the role stored now. */
async function signIn(person: RegisteredUser): Promise<string> {
  const response = await stack
    .client()
    .op("Login", { input: { email: person.email, password: person.password } });
  expect(response.errors).toBeUndefined();
  return response.data!.login.accessToken as string;
}

beforeAll(async () => {
  stack = await startStack();
  const { alice: owner, matchId, conversationId } = await matchedPair(stack);
  const [other, blocked, admin, stranger] = await Promise.all([
    registerWithProfile(stack),
    registerWithProfile(stack),
    registerWithProfile(stack),
    registerUser(stack),
  ]);
  expect((await owner.client.op("BlockUser", { userId: blocked.id })).errors).toBeUndefined();
  await stack.prisma.account.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
  const adminToken = await signIn(admin);

  const photoIds = [];
  for (let index = 0; index < 2; index += 1) {
    const { photoId } = await uploadPhoto(owner, await photo());
    expect((await owner.client.op("ConfirmPhotoUpload", { photoId })).errors).toBeUndefined();
    photoIds.push(photoId);
  }
  const { photoId: uploadedPhotoId } = await uploadPhoto(owner, await photo());
  const sent = await owner.client.op("SendMessage", {
    input: { conversationId, body: "hello", clientMessageId: randomUUID() },
  });
  expect(sent.errors).toBeUndefined();

  const created = await Promise.all(
    [competitionInput("Free steps"), competitionInput("Paid steps", 500)].map(async (input) => {
      const response = await owner.client.op("CreateCompetition", { input });
      expect(response.errors).toBeUndefined();
      return response.data!.createCompetition.id as string;
    }),
  );
  const [freeCompetitionId, paidCompetitionId] = created as [string, string];
  await eventually(async () =>
    expect(
      await stack.prisma.billingCompetition.findUnique({ where: { id: paidCompetitionId } }),
    ).not.toBeNull(),
  );
  const plans = await owner.client.op("Plans");
  const monthlyPlanId = plans.data!.plans.find(
    (plan: { interval: string }) => plan.interval === "MONTH",
  ).id as string;

  world = {
    owner,
    matchId,
    conversationId,
    photoIds,
    uploadedPhotoId,
    freeCompetitionId,
    paidCompetitionId,
    monthlyPlanId,
  };
  callers.anonymous = { client: stack.client(), person: stranger };
  callers.owner = { client: owner.client, person: owner, token: owner.accessToken };
  callers.other = { client: other.client, person: other, token: other.accessToken };
  callers.blocked = { client: blocked.client, person: blocked, token: blocked.accessToken };
  callers.admin = { client: stack.client(adminToken), person: admin, token: adminToken };
});
afterAll(() => stack?.close());

/** A token from a fresh mail to a new account of the caller's own (single use, so fresh). */
async function tokenOfOwnAccount(kind: "verify" | "reset"): Promise<string> {
  const account = await registerUser(stack);
  if (kind === "verify") return mailedToken(stack, account.email, "Confirm your email address");
  await stack.client().op("RequestPasswordReset", { email: account.email });
  return mailedToken(stack, account.email, "Reset your password");
}

/** Each operation's variables, as `actor` sends them. */
const variables: Record<
  string,
  (caller: Caller) => Promise<Record<string, unknown>> | Record<string, unknown>
> = {
  Register: () => ({ input: { email: uniqueEmail(), password: PASSWORD } }),
  Login: ({ person }) => ({ input: { email: person.email, password: person.password } }),
  RefreshSession: async ({ person }) => ({
    refreshToken: (await freshSession(person)).refreshToken,
  }),
  Logout: async ({ person }) => ({ refreshToken: (await freshSession(person)).refreshToken }),
  ChangePassword: () => ({
    input: { currentPassword: "Wr0ng!Password", newPassword: "N3w!Password" },
  }),
  RequestPasswordReset: () => ({ email: world.owner.email }),
  ResetPassword: async () => ({
    input: { token: await tokenOfOwnAccount("reset"), newPassword: "N3w!Password" },
  }),
  VerifyEmail: async () => ({ token: await tokenOfOwnAccount("verify") }),
  DeleteAccount: () => ({ password: "Wr0ng!Password" }),
  Viewer: () => ({}),
  UpsertProfile: ({ person }) => ({
    input: {
      displayName: "Someone",
      username: person.profile?.username ?? `anon_${randomUUID().slice(0, 8)}`,
      birthdate: birthdateForAge(30),
      gender: "FEMALE",
      interestedIn: ["MALE"],
    },
  }),
  UpdatePreferences: () => ({
    input: { minAge: 25, maxAge: 40, maxDistanceKm: 50, genders: ["MALE"] },
  }),
  UpdateLocation: () => ({ input: { latitude: -80, longitude: 170 } }),
  RequestPhotoUpload: () => ({ input: { contentType: "image/jpeg", byteSize: 1000 } }),
  ConfirmPhotoUpload: () => ({ photoId: world.uploadedPhotoId }),
  SetPrimaryPhoto: () => ({ photoId: world.photoIds[1] }),
  // Every photo of the owner's, the one ConfirmPhotoUpload confirmed first.
  ReorderPhotos: () => ({ photoIds: [world.uploadedPhotoId, ...world.photoIds] }),
  MyProfile: () => ({}),
  UserProfile: () => ({ id: world.owner.id }),
  SearchUsers: () => ({ query: world.owner.profile.username }),
  Discover: () => ({}),
  Swipe: () => ({ input: { targetUserId: world.owner.id, action: "PASS" } }),
  Matches: () => ({}),
  LikesReceived: () => ({}),
  Conversations: () => ({}),
  ConversationMessages: () => ({ id: world.conversationId }),
  SendMessage: () => ({
    input: { conversationId: world.conversationId, body: "hi", clientMessageId: randomUUID() },
  }),
  MarkConversationRead: () => ({ conversationId: world.conversationId }),
  Competitions: () => ({}),
  CreateCompetition: () => ({ input: competitionInput("Mine") }),
  JoinCompetition: () => ({ competitionId: world.freeCompetitionId }),
  SyncActivity: () => ({ input: { source: "GOOGLE_FIT", records: [] } }),
  Leaderboard: () => ({ competitionId: world.freeCompetitionId }),
  RatingLeaderboard: () => ({}),
  LeaveCompetition: () => ({ competitionId: world.freeCompetitionId }),
  Plans: () => ({}),
  MyBilling: () => ({}),
  StartCheckout: () => ({ planId: world.monthlyPlanId }),
  OpenBillingPortal: () => ({}),
  PayCompetitionEntry: () => ({ competitionId: world.paidCompetitionId }),
  OnMessageAdded: () => ({ conversationId: world.conversationId }),
  OnMatchCreated: () => ({}),
  OnLeaderboardRankChanged: () => ({ competitionId: world.freeCompetitionId, top: 10 }),
  OnMyRankChanged: () => ({ competitionId: world.freeCompetitionId }),
  DeletePhoto: () => ({ photoId: world.photoIds[0] }),
  Unmatch: () => ({ matchId: world.matchId }),
  BlockUser: () => ({ userId: world.owner.id }),
  UnblockUser: () => ({ userId: world.owner.id }),
  LogoutEverywhere: () => ({}),
};

/** A second session of `person`, so signing it out leaves the one the rows use. */
async function freshSession(person: RegisteredUser) {
  const response = await stack
    .client()
    .op("Login", { input: { email: person.email, password: person.password } });
  return response.data!.login as { accessToken: string; refreshToken: string };
}

/** The first error's code; else NULL when every root field answered null, else OK. */
function outcomeOf(
  errors: readonly GraphQLFormattedError[] | undefined,
  data: Record<string, unknown> | null | undefined,
): string {
  if (errors?.length) return String(errors[0]!.extensions?.code);
  return data && Object.values(data).every((value) => value === null) ? "NULL" : "OK";
}

/** The live channel an accepted subscription listens on. */
const liveTopic: Record<string, (caller: Caller) => [string, string]> = {
  OnMessageAdded: ({ person }) => ["message-added", person.id],
  OnMatchCreated: ({ person }) => ["match-created", person.id],
  OnLeaderboardRankChanged: () => ["rank-changed", world.freeCompetitionId],
  OnMyRankChanged: () => ["rank-changed", world.freeCompetitionId],
};

const listeners = (topic: string, key: string) => liveListeners(stack, topic, key);

/**
 * A subscription's outcome over graphql-ws: the code it ends with, or OK once the subgraph
 * listens for its events. It is ended and its channel left quiet again before the next.
 */
async function subscribeOutcome(name: string, caller: Caller, vars: Record<string, unknown>) {
  const socket = await WsTestClient.connect(stack.gatewayUrl, caller.token).catch(
    (error: unknown) => error,
  );
  if (!(socket instanceof WsTestClient)) return `closed ${String(socket)}`;
  const [topic, key] = liveTopic[name]!(caller);
  try {
    const subscription = socket.subscribe(name, vars);
    return await Promise.race([
      // A refused subscription answers one result with the errors, then completes.
      subscription
        .end()
        .then((ended) => outcomeOf(ended.errors ?? subscription.results[0]?.errors, undefined)),
      untilListening(stack, topic, key).then(() => "OK"),
    ]);
  } finally {
    await socket.close();
    await eventually(async () => expect(await listeners(topic, key)).toBe(0));
  }
}

async function outcomeAs(operation: string, actor: Actor): Promise<string> {
  const caller = callers[actor];
  const vars = await variables[operation]!(caller);
  if (operation in liveTopic) return subscribeOutcome(operation, caller, vars);
  const response = await caller.client.op(operation, vars);
  return outcomeOf(response.errors, response.data);
}

/** Within a row, the owner goes last: what the owner does may end what others would try. */
const RUN_ORDER: Actor[] = ["anonymous", "other", "blocked", "admin", "owner"];

describe("authorization matrix", () => {
  it("covers every contract operation, once, with variables for each", () => {
    const names = [...loadContractOperations().keys()].sort();
    expect(AUTHORIZATION_TABLE.map((row) => row.operation).sort()).toEqual(names);
    expect(Object.keys(variables).sort()).toEqual(names);
    expect([...RUN_ORDER].sort()).toEqual([...ACTORS].sort());
  });

  // Sequential, in the table's order: later rows change what earlier ones need.
  it.each(AUTHORIZATION_TABLE.map((row) => [row.operation, row] as const))(
    "%s",
    async (_name, row) => {
      const seen: Partial<Record<Actor, string>> = {};
      for (const actor of RUN_ORDER) seen[actor] = await outcomeAs(row.operation, actor);
      const expected: Partial<Record<Actor, Outcome>> = {};
      for (const actor of RUN_ORDER) expected[actor] = row.outcomes[actor];
      expect(seen).toEqual(expected);
    },
  );
});
