import { randomUUID } from "node:crypto";
import type { Account, Prisma } from "@pulse/db";
import { conflict, unauthenticated, type Viewer } from "@pulse/platform/server";
import {
  isUniqueViolation,
  type PrismaClient,
  type PrismaTransaction,
} from "@pulse/platform/subgraph";
import type { IdentityRateLimits } from "../rate-limits.ts";
import type { AccessTokenIssuer } from "../tokens/access-token.service.ts";
import { hashOpaqueToken, newOpaqueToken } from "../tokens/opaque-token.rules.ts";
import {
  hashPassword,
  needsRehash,
  verifyAgainstNothing,
  verifyPassword,
} from "../password/password-hasher.adapter.ts";
import { assertPasswordPolicy } from "../password/password.rules.ts";
import type { AccountService } from "../account/account.service.ts";
import { seenByOwner, type VisibleAccount } from "../user/user-visibility.rules.ts";
import { normalizeEmail } from "./email.rules.ts";

/** Why a session (refresh-token family) ended, kept for audits. */
export type RevokeReason =
  "LOGOUT" | "LOGOUT_EVERYWHERE" | "PASSWORD_CHANGED" | "PASSWORD_RESET" | "REUSE_DETECTED";

export interface SessionPayload {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: VisibleAccount;
}

export interface SessionServiceDeps {
  prisma: PrismaClient;
  accessTokens: AccessTokenIssuer;
  accounts: AccountService;
  refreshTokenTtlSeconds: number;
  /** Login attempts per email and per client address. */
  limits: IdentityRateLimits;
  /** Tells the gateway that these sessions' access tokens no longer count. */
  announceRevoked: (sessionIds: string[]) => Promise<void>;
}

/**
 * Sign-up, sign-in and sessions. A session is a family of refresh tokens: each refresh rotates
 * the token, and presenting one that was already rotated (a stolen copy, or the original after
 * the thief used it) revokes the whole family.
 */
export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  async register(rawEmail: string, password: string, requestId: string): Promise<SessionPayload> {
    const email = normalizeEmail(rawEmail, "input.email");
    assertPasswordPolicy(password, "input.password");
    await this.deps.limits.consume("verification-mail:email", email);
    const passwordHash = await hashPassword(password);
    try {
      const { account, refreshToken, verificationToken } = await this.deps.prisma.$transaction(
        async (tx) => {
          const account = await tx.account.create({
            data: { id: randomUUID(), email, passwordHash },
          });
          const refreshToken = await this.startSession(tx, account.id);
          const verificationToken = await this.deps.accounts.issueEmailVerification(tx, account.id);
          return { account, refreshToken, verificationToken };
        },
      );
      await this.deps.accounts.sendEmailVerification(account.email, verificationToken, requestId);
      return this.payload(account, refreshToken);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict("An account with this email already exists", "input.email");
      }
      throw error;
    }
  }

  async login(rawEmail: string, password: string, clientIp: string): Promise<SessionPayload> {
    const email = rawEmail.trim().toLowerCase();
    await this.deps.limits.consume("login:address", clientIp);
    await this.deps.limits.consume("login:email", email);
    const account = await this.deps.prisma.account.findUnique({ where: { email } });
    const valid = account
      ? await verifyPassword(account.passwordHash, password)
      : await verifyAgainstNothing(password);
    if (!account || !valid) throw unauthenticated("Invalid email or password");
    if (needsRehash(account.passwordHash)) {
      await this.deps.prisma.account.update({
        where: { id: account.id },
        data: { passwordHash: await hashPassword(password) },
      });
    }
    const refreshToken = await this.deps.prisma.$transaction((tx) =>
      this.startSession(tx, account.id),
    );
    return this.payload(account, refreshToken);
  }

  async refresh(refreshToken: string): Promise<SessionPayload> {
    const { prisma } = this.deps;
    const stored = await prisma.refreshToken.findUnique({
      where: { tokenHash: hashOpaqueToken(refreshToken) },
      include: { session: { include: { account: true } } },
    });
    const now = new Date();
    if (!stored || stored.session.revokedAt || stored.expiresAt <= now) {
      throw unauthenticated("Invalid or expired refresh token");
    }
    if (stored.rotatedAt) return this.reuseDetected(stored.sessionId);
    const next = await prisma.$transaction(async (tx) => {
      // Conditional on not being rotated yet, so two concurrent refreshes cannot both win.
      const { count } = await tx.refreshToken.updateMany({
        where: { id: stored.id, rotatedAt: null },
        data: { rotatedAt: now },
      });
      if (count === 0) return undefined;
      return this.issueRefreshToken(tx, stored.sessionId);
    });
    if (next === undefined) return this.reuseDetected(stored.sessionId);
    return this.payload(stored.session.account, next);
  }

  /** Ends the session the refresh token belongs to. Unknown or spent tokens are fine: true. */
  async logout(refreshToken: string): Promise<true> {
    const stored = await this.deps.prisma.refreshToken.findUnique({
      where: { tokenHash: hashOpaqueToken(refreshToken) },
      select: { sessionId: true },
    });
    if (stored) await this.revoke({ id: stored.sessionId }, "LOGOUT");
    return true;
  }

  /** Ends every session of the viewer. */
  async logoutEverywhere(viewer: Viewer): Promise<true> {
    await this.revoke({ accountId: viewer.id }, "LOGOUT_EVERYWHERE");
    return true;
  }

  /** Ends the active sessions matched by `where`, refresh and access tokens alike. */
  async revoke(where: Prisma.SessionWhereInput, reason: RevokeReason): Promise<void> {
    const ids = await this.deps.prisma.$transaction((tx) => this.revokeWithin(tx, where, reason));
    await this.deps.announceRevoked(ids);
  }

  /**
   * Ends the active sessions matched by `where` as part of the caller's transaction. The caller
   * passes the returned ids to `announceRevoked` once it has committed, never before: a rolled
   * back revocation must not sign anyone out.
   */
  async revokeWithin(
    tx: PrismaTransaction,
    where: Prisma.SessionWhereInput,
    reason: RevokeReason,
  ): Promise<string[]> {
    const active = await tx.session.findMany({
      where: { ...where, revokedAt: null },
      select: { id: true },
    });
    const ids = active.map(({ id }) => id);
    await tx.session.updateMany({
      where: { id: { in: ids }, revokedAt: null },
      data: { revokedAt: new Date(), revokeReason: reason },
    });
    return ids;
  }

  /** Tells the gateway, after commit, that these sessions' access tokens no longer count. */
  announceRevoked(sessionIds: string[]): Promise<void> {
    return this.deps.announceRevoked(sessionIds);
  }

  private async reuseDetected(sessionId: string): Promise<never> {
    await this.revoke({ id: sessionId }, "REUSE_DETECTED");
    throw unauthenticated("Refresh token was already used; the session has been signed out");
  }

  private async startSession(tx: PrismaTransaction, accountId: string): Promise<RefreshTokenGrant> {
    const session = await tx.session.create({ data: { id: randomUUID(), accountId } });
    return this.issueRefreshToken(tx, session.id);
  }

  private async issueRefreshToken(
    tx: PrismaTransaction,
    sessionId: string,
  ): Promise<RefreshTokenGrant> {
    const { token, hash } = newOpaqueToken();
    await tx.refreshToken.create({
      data: {
        id: randomUUID(),
        sessionId,
        tokenHash: hash,
        expiresAt: new Date(Date.now() + this.deps.refreshTokenTtlSeconds * 1000),
      },
    });
    return { token, sessionId };
  }

  private async payload(account: Account, grant: RefreshTokenGrant): Promise<SessionPayload> {
    const access = await this.deps.accessTokens.issue({
      accountId: account.id,
      role: account.role,
      sessionId: grant.sessionId,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: grant.token,
      // The caller has just proved they own the account, before holding any token.
      user: seenByOwner(account),
    };
  }
}

interface RefreshTokenGrant {
  token: string;
  sessionId: string;
}
