import { decodeCursor } from "@pulse/platform/subgraph";
import { z } from "zod";

/** Where a payment stands among a person's payments: when it started, then its id. */
export interface PaymentPosition {
  createdAt: Date;
  id: string;
}

/** A payment cursor's content: createdAt (ISO, milliseconds as stored), then id. */
const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** The keyset values a payment cursor holds. */
export const paymentKey = (payment: PaymentPosition): [string, string] => [
  payment.createdAt.toISOString(),
  payment.id,
];

/** @throws BAD_USER_INPUT on `after` when the cursor was not made by us. */
export function decodePaymentCursor(cursor: string): PaymentPosition {
  const [createdAt, id] = decodeCursor(cursor, cursorSchema);
  return { createdAt: new Date(createdAt), id };
}
