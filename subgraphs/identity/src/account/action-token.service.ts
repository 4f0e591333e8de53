import { randomUUID } from "node:crypto";
import type { ActionTokenPurpose } from "@pulse/db";
import { badUserInput } from "@pulse/platform/server";
import { type PrismaTransaction } from "@pulse/platform/subgraph";
import { hashOpaqueToken, newOpaqueToken } from "../tokens/opaque-token.rules.ts";

/** How long an emailed link works. */
export const ACTION_TOKEN_TTL_MS: Record<ActionTokenPurpose, number> = {
  VERIFY_EMAIL: 24 * 3600_000,
  RESET_PASSWORD: 3600_000,
};

/** Creates a single-use token for an emailed link; only its hash is stored. */
export async function issueActionToken(
  tx: PrismaTransaction,
  accountId: string,
  purpose: ActionTokenPurpose,
): Promise<string> {
  const { token, hash } = newOpaqueToken();
  await tx.actionToken.create({
    data: {
      id: randomUUID(),
      accountId,
      purpose,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + ACTION_TOKEN_TTL_MS[purpose]),
    },
  });
  return token;
}

/**
 * Spends a single-use token, atomically, so a link cannot be used twice even concurrently.
 *
 * @returns the account the token was issued to.
 * @throws BAD_USER_INPUT on `field` when the token is unknown, spent, expired or for another purpose.
 */
export async function consumeActionToken(
  tx: PrismaTransaction,
  token: string,
  purpose: ActionTokenPurpose,
  field: string,
): Promise<string> {
  const now = new Date();
  const tokenHash = hashOpaqueToken(token);
  const { count } = await tx.actionToken.updateMany({
    where: { tokenHash, purpose, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  if (count === 0) throw badUserInput(field, "This link is invalid or has expired");
  const spent = await tx.actionToken.findUniqueOrThrow({
    where: { tokenHash },
    select: { accountId: true },
  });
  return spent.accountId;
}
