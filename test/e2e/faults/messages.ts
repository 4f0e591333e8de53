import { randomUUID } from "node:crypto";
import type { TestSubscription } from "@pulse/testkit/ws-client";
import { endingOf, type Client, type Operation } from "./load.ts";

/**
 * One person's messages in a conversation under load, as a careful client sends them: each with a key of its own,
 * retried with the same key until it is stored, so a message is stored once whatever failed.
 * Keeps which messages the API acknowledged, to compare with what a subscriber received.
 */
export class MessageLedger {
  /** Message ids the API answered with, in order. */
  readonly acknowledged: string[] = [];
  private pendingKey = randomUUID();
  private sent = 0;

  constructor(
    private readonly sender: Client,
    private readonly conversationId: string,
  ) {}

  /** Sends the pending message (again, if the last attempt failed). */
  readonly send: Operation = async () => {
    const response = await this.sender.op("SendMessage", {
      input: {
        conversationId: this.conversationId,
        body: `message ${this.sent}`,
        clientMessageId: this.pendingKey,
      },
    });
    if (endingOf(response) === "ok") {
      this.acknowledged.push((response.data as { sendMessage: { id: string } }).sendMessage.id);
      this.sent += 1;
      this.pendingKey = randomUUID();
    }
    return response;
  };

  /**
   * What `subscriptions` got, one after the other (a subscriber's before and after it resumed),
   * against what was acknowledged: lost and duplicated messages.
   */
  compare(...subscriptions: TestSubscription[]): {
    received: number;
    lost: number;
    duplicated: number;
  } {
    const received = receivedIds(...subscriptions);
    const distinct = new Set(received);
    return {
      received: received.length,
      lost: this.acknowledged.filter((id) => !distinct.has(id)).length,
      duplicated: received.length - distinct.size,
    };
  }
}

/** The ids of the messages `subscriptions` received, in order. */
export function receivedIds(...subscriptions: TestSubscription[]): string[] {
  return subscriptions.flatMap((subscription) =>
    subscription.results.map(
      (result) => (result.data as { messageAdded: { id: string } }).messageAdded.id,
    ),
  );
}
