import { randomUUID } from "node:crypto";
import type { Logger } from "@pulse/platform/server";
import type { PrismaClient } from "@pulse/platform/subgraph";

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

/** Sends email. Swap the driver (SES, SMTP, ...) without touching the code that sends. */
export interface Mailer {
  /** Sends `message` for the request `requestId`, which the driver's log lines name. */
  send(message: MailMessage, requestId: string): Promise<void>;
}

/**
 * The default driver: records each message in `identity.mail_message` and the log instead of
 * sending it, so development and tests can read what would have been mailed.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  async send(message: MailMessage, requestId: string): Promise<void> {
    await this.prisma.mailMessage.create({
      data: {
        id: randomUUID(),
        recipient: message.to,
        subject: message.subject,
        body: message.body,
      },
    });
    this.logger.info({ to: message.to, subject: message.subject, requestId }, "mail recorded");
  }
}
