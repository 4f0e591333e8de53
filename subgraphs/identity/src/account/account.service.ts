import type { Account } from "@pulse/db";
import { badUserInput, type Viewer } from "@pulse/platform/server";
import { type Outbox, type PrismaClient, type PrismaTransaction } from "@pulse/platform/subgraph";
import type { Mailer } from "../mail/mail.service.ts";
import { verifyEmailMessage } from "../mail/mail.view.ts";
import { verifyPassword } from "../password/password-hasher.adapter.ts";
import { consumeActionToken, issueActionToken } from "./action-token.service.ts";

export interface AccountServiceDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  outbox: Outbox;
  appUrl: string;
  /** Tells the gateway that these sessions' access tokens no longer count. */
  announceRevoked: (sessionIds: string[]) => Promise<void>;
}

/** Email verification and account deletion. */
export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  issueEmailVerification(tx: PrismaTransaction, accountId: string): Promise<string> {
    return issueActionToken(tx, accountId, "VERIFY_EMAIL");
  }

  sendEmailVerification(email: string, token: string, requestId: string): Promise<void> {
    return this.deps.mailer.send(verifyEmailMessage(email, this.deps.appUrl, token), requestId);
  }

  /** Confirms the address the token was mailed to. */
  async verifyEmail(token: string): Promise<Account> {
    return this.deps.prisma.$transaction(async (tx) => {
      const accountId = await consumeActionToken(tx, token, "VERIFY_EMAIL", "token");
      const account = await tx.account.findUniqueOrThrow({ where: { id: accountId } });
      if (account.emailVerifiedAt) return account;
      return tx.account.update({ where: { id: accountId }, data: { emailVerifiedAt: new Date() } });
    });
  }

  /**
   * Deletes the viewer's account and everything identity keeps about them, and publishes
   * `user.deleted` in the same transaction so every other subgraph follows.
   */
  async deleteAccount(viewer: Viewer, password: string): Promise<true> {
    const { prisma, outbox } = this.deps;
    const account = await prisma.account.findUnique({ where: { id: viewer.id } });
    if (!account || !(await verifyPassword(account.passwordHash, password))) {
      throw badUserInput("password", "Password is incorrect");
    }
    const sessionIds = await prisma.$transaction(async (tx) => {
      const sessions = await tx.session.findMany({
        where: { accountId: account.id, revokedAt: null },
        select: { id: true },
      });
      await tx.account.delete({ where: { id: account.id } });
      await outbox.record(tx, "user.deleted", { userId: account.id });
      return sessions.map(({ id }) => id);
    });
    await this.deps.announceRevoked(sessionIds);
    return true;
  }
}
