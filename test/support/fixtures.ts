import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { ApiClient } from "./api-client.ts";
import type { Stack } from "./stack.ts";

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
  stack: Stack,
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

/** The token in the newest email to `email` whose subject contains `subject`. */
export async function mailedToken(stack: Stack, email: string, subject: string): Promise<string> {
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
  stack: Stack,
  options: ProfileOptions = {},
): Promise<RegisteredUser & { profile: Record<string, any> }> {
  const user = await registerUser(stack);
  return { ...user, profile: await createProfile(user, options) };
}
