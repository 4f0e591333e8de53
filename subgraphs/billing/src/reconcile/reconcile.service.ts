import { randomUUID } from "node:crypto";
import type { Logger, RedisConnection } from "@pulse/platform/server";
import type { PrismaClient } from "@pulse/platform/subgraph";
import type { MembershipService } from "../membership/membership.service.ts";
import type { PaymentService } from "../payment/payment.service.ts";

export interface ReconcileReport {
  memberships: number;
  payments: number;
  failures: number;
}

/** Whichever process holds it reconciles; the others skip that round. */
const RECONCILE_LOCK = "billing:reconcile-lock";
const RECONCILE_LOCK_MS = 10 * 60_000;

/**
 * Repairs what a lost webhook left wrong: reads every non-final membership and every pending
 * payment from Stripe and applies it as a webhook would.
 */
export class Reconciler {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      memberships: MembershipService;
      payments: PaymentService;
      logger: Logger;
      redis: RedisConnection;
      redisPrefix: string;
    },
  ) {}

  async run(): Promise<ReconcileReport | null> {
    const { prisma, memberships, payments, logger, redis, redisPrefix } = this.deps;
    const lockKey = `${redisPrefix}${RECONCILE_LOCK}`;
    const token = randomUUID();
    if ((await redis.set(lockKey, token, "PX", RECONCILE_LOCK_MS, "NX")) !== "OK") return null;
    const report: ReconcileReport = { memberships: 0, payments: 0, failures: 0 };
    try {
      const live = await prisma.membership.findMany({
        where: { status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] } },
        select: { stripeSubscriptionId: true },
      });
      for (const { stripeSubscriptionId } of live) {
        if (!stripeSubscriptionId) continue;
        await this.attempt(report, () =>
          prisma.$transaction((tx) => memberships.syncFromStripe(tx, stripeSubscriptionId), {
            timeout: 30_000,
          }),
        );
        report.memberships += 1;
      }
      const pending = await prisma.payment.findMany({
        where: { status: { in: ["PENDING", "SUCCEEDED"] } },
        select: {
          stripeCheckoutSessionId: true,
          stripeInvoiceId: true,
          stripePaymentIntentId: true,
          status: true,
          refundRequestedAt: true,
        },
      });
      for (const payment of pending) {
        const { stripeCheckoutSessionId, stripeInvoiceId, stripePaymentIntentId } = payment;
        if (payment.status === "PENDING" && stripeCheckoutSessionId) {
          await this.attempt(report, () =>
            prisma.$transaction((tx) => payments.syncCheckoutSession(tx, stripeCheckoutSessionId), {
              timeout: 30_000,
            }),
          );
        } else if (payment.status === "PENDING" && stripeInvoiceId) {
          await this.attempt(report, () =>
            prisma.$transaction((tx) => payments.syncInvoice(tx, stripeInvoiceId), {
              timeout: 30_000,
            }),
          );
        } else if (payment.refundRequestedAt && stripePaymentIntentId) {
          // A refund was asked for: its charge.refunded may have been lost.
          await this.attempt(report, () =>
            prisma.$transaction(
              (tx) => payments.syncPaymentIntentRefund(tx, stripePaymentIntentId),
              { timeout: 30_000 },
            ),
          );
        } else continue;
        report.payments += 1;
      }
      logger.info(report, "billing reconciled with Stripe");
      return report;
    } finally {
      if ((await redis.get(lockKey)) === token) await redis.del(lockKey);
    }
  }

  private async attempt(report: ReconcileReport, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      report.failures += 1;
      this.deps.logger.warn({ err: error }, "could not reconcile one billing record");
    }
  }
}
