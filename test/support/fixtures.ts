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
