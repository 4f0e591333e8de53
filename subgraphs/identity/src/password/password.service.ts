import { badUserInput, unauthenticated, type Viewer } from "@pulse/platform/server";
import type { IdentityRateLimits } from "../rate-limits.ts";
import { type PrismaClient } from "@pulse/platform/subgraph";
import { consumeActionToken, issueActionToken } from "../account/action-token.service.ts";
import type { Mailer } from "../mail/mail.service.ts";
import { resetPasswordMessage } from "../mail/mail.view.ts";
import type { SessionService } from "../session/session.service.ts";
import { hashPassword, verifyPassword } from "./password-hasher.adapter.ts";
import { assertPasswordPolicy } from "./password.rules.ts";

export interface PasswordServiceDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  sessions: SessionService;
  appUrl: string;
  /** Reset mails per inbox, so the endpoint cannot be used to flood someone's inbox. */
  limits: IdentityRateLimits;
}

/** Changing a password, and resetting a forgotten one through an emailed link. */
export class PasswordService {
  constructor(private readonly deps: PasswordServiceDeps) {}

  /** Changes the viewer's password and signs out every other session. */
  async changePassword(
    viewer: Viewer,
    currentPassword: string,
    newPassword: string,
  ): Promise<true> {
    const { prisma, sessions } = this.deps;
    const account = await prisma.account.findUnique({ where: { id: viewer.id } });
    if (!account) throw unauthenticated();
    if (!(await verifyPassword(account.passwordHash, currentPassword))) {
      throw badUserInput("input.currentPassword", "Current password is incorrect");
    }
    assertPasswordPolicy(newPassword, "input.newPassword");
    if (newPassword === currentPassword) {
      throw badUserInput("input.newPassword", "New password must differ from the current one");
    }
    const passwordHash = await hashPassword(newPassword);
    const revoked = await prisma.$transaction(async (tx) => {
      await tx.account.update({ where: { id: account.id }, data: { passwordHash } });
      return sessions.revokeWithin(
        tx,
        { accountId: account.id, id: { not: viewer.sessionId } },
        "PASSWORD_CHANGED",
      );
    });
    await sessions.announceRevoked(revoked);
    return true;
  }

  /**
   * Mails a reset link when the address has an account. Always true, so the answer never
   * reveals whether an email is registered.
   */
  async requestReset(rawEmail: string, requestId: string): Promise<true> {
    const email = rawEmail.trim().toLowerCase();
    const account = await this.deps.prisma.account.findUnique({ where: { email } });
    if (!account) return true;
    try {
      await this.deps.limits.consume("password-reset:email", email);
    } catch {
      return true;
    }
    const token = await this.deps.prisma.$transaction((tx) =>
      issueActionToken(tx, account.id, "RESET_PASSWORD"),
    );
    await this.deps.mailer.send(
      resetPasswordMessage(account.email, this.deps.appUrl, token),
      requestId,
    );
    return true;
  }

  /** Sets a new password with a mailed token, and signs out every session. */
  async resetPassword(token: string, newPassword: string): Promise<true> {
    assertPasswordPolicy(newPassword, "input.newPassword");
    const passwordHash = await hashPassword(newPassword);
    const revoked = await this.deps.prisma.$transaction(async (tx) => {
      const accountId = await consumeActionToken(tx, token, "RESET_PASSWORD", "input.token");
      await tx.account.update({ where: { id: accountId }, data: { passwordHash } });
      return this.deps.sessions.revokeWithin(tx, { accountId }, "PASSWORD_RESET");
    });
    await this.deps.sessions.announceRevoked(revoked);
    return true;
  }
}
