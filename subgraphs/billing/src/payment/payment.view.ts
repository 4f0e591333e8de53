import type { Payment as PaymentRow } from "@pulse/db";
import { type Payment, PaymentStatus } from "./payment.type.ts";

/** A stored payment as the API shows it. */
export const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  amount: { amountCents: row.amountCents, currency: row.currency },
  status: PaymentStatus[row.status as PaymentStatus],
  description: row.description,
  competitionId: row.competitionId,
  createdAt: row.createdAt,
});
