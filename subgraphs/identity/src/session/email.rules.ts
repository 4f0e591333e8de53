import { badUserInput } from "@pulse/platform/server";
import { z } from "zod";

const emailSchema = z.email().max(254);

/**
 * An email address as stored and compared: trimmed and lower-cased.
 *
 * @throws BAD_USER_INPUT on `field` when it is not an email address.
 */
export function normalizeEmail(raw: string, field: string): string {
  const email = raw.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw badUserInput(field, "Not a valid email address");
  return email;
}
