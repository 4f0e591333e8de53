import type { MailMessage } from "./mail.service.ts";

/** The email asking a new account to confirm its address. */
export function verifyEmailMessage(to: string, appUrl: string, token: string): MailMessage {
  const link = new URL("/verify-email", appUrl);
  link.searchParams.set("token", token);
  return {
    to,
    subject: "Confirm your email address",
    body: `Welcome! Confirm your email address by opening ${link.toString()}\n\nThe link works for 24 hours.`,
  };
}

/** The email carrying a password-reset link. */
export function resetPasswordMessage(to: string, appUrl: string, token: string): MailMessage {
  const link = new URL("/reset-password", appUrl);
  link.searchParams.set("token", token);
  return {
    to,
    subject: "Reset your password",
    body: `Someone asked to reset your password. If it was you, open ${link.toString()}\n\nThe link works for 1 hour. If it was not you, ignore this email.`,
  };
}
