// Accounting of one phase: what was sent, to whom it should arrive, what arrived, when, and how
// often. The key is the message's clientMessageId, unique per message.
import type { Subscriber } from "./ws-driver.ts";

export interface SentMessage {
  key: string;
  /** Subscriber indexes of the conversation's two people: both must receive it, once. */
  recipients: readonly [number, number];
  /** Whether the send (the mutation) succeeded; failed sends are expected nowhere. */
  ok?: boolean;
  /** Time the send took: the mutation's HTTP round trip. */
  sendMs?: number;
}

interface DeliveredMessage {
  clientMessageId?: string;
  body?: string;
  sentAt?: string;
  sender?: { id?: string; profile?: { displayName?: string } | null };
}

interface NextPayload {
  data?: { messageAdded?: DeliveredMessage | null } | null;
  errors?: unknown[];
}

/** The body of message `key` sent at `sentAt` (epoch ms): the driver reads the time back. */
export function messageBody(key: string, sentAt: number): string {
  return `bench ${key} sent ${sentAt.toFixed(3)}`;
}

function sentTimeOf(body: string | undefined): number | undefined {
  const time = Number(body?.split(" ")[3]);
  return Number.isFinite(time) ? time : undefined;
}

export class DeliveryLedger {
  readonly sent = new Map<string, SentMessage>();
  private readonly received = new Map<string, Set<number>>();
  /** Send to receipt, milliseconds. */
  readonly latencies: number[] = [];
  /** Message `sentAt` (chat's clock inside the send transaction) to receipt. */
  readonly fromSentAt: number[] = [];
  delivered = 0;
  duplicated = 0;
  /** Results for a message that was never sent, or for someone not in its conversation. */
  strays = 0;
  /** Results with errors, or without the sender's profile. */
  faulty = 0;
  faultSample: string | undefined;
  /** Subscriptions that ended (error, complete, closed socket) while the phase ran. */
  readonly ended: string[] = [];

  record(message: SentMessage): void {
    this.sent.set(message.key, message);
  }

  onNext(subscriber: Subscriber, payload: unknown, receivedAt: number): void {
    const result = payload as NextPayload;
    const message = result.data?.messageAdded;
    if (result.errors?.length || !message?.sender?.profile?.displayName) {
      this.faulty += 1;
      this.faultSample ??= JSON.stringify(payload).slice(0, 400);
    }
    const sent = message?.clientMessageId ? this.sent.get(message.clientMessageId) : undefined;
    if (!message || !sent || !sent.recipients.includes(subscriber.index)) {
      this.strays += 1;
      return;
    }
    let receivers = this.received.get(sent.key);
    if (!receivers) this.received.set(sent.key, (receivers = new Set()));
    if (receivers.has(subscriber.index)) {
      this.duplicated += 1;
      return;
    }
    receivers.add(subscriber.index);
    this.delivered += 1;
    const sentTime = sentTimeOf(message.body);
    if (sentTime !== undefined) this.latencies.push(receivedAt - sentTime);
    if (message.sentAt) this.fromSentAt.push(receivedAt - Date.parse(message.sentAt));
  }

  onEnd(subscriber: Subscriber, what: string): void {
    this.ended.push(`subscriber ${subscriber.index}: ${what}`);
  }

  get sendFailures(): number {
    let failures = 0;
    for (const message of this.sent.values()) if (message.ok === false) failures += 1;
    return failures;
  }

  /** Deliveries owed: two per successful send. */
  get expected(): number {
    let expected = 0;
    for (const message of this.sent.values()) if (message.ok) expected += 2;
    return expected;
  }

  /** Deliveries owed but not received. */
  get lost(): number {
    let lost = 0;
    for (const message of this.sent.values()) {
      if (!message.ok) continue;
      const receivers = this.received.get(message.key);
      for (const recipient of message.recipients) if (!receivers?.has(recipient)) lost += 1;
    }
    return lost;
  }
}
