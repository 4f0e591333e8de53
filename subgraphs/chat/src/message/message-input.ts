import { badUserInput } from "@pulse/platform/server";

export const MAX_BODY_LENGTH = 2000;
export const MAX_CLIENT_MESSAGE_ID_LENGTH = 100;

/**
 * A message body as stored: trimmed, 1..2000 characters (code points, so an emoji is one).
 *
 * @throws BAD_USER_INPUT on `input.body` otherwise.
 */
export function messageBody(body: string): string {
  const trimmed = body.trim();
  const length = [...trimmed].length;
  if (length < 1 || length > MAX_BODY_LENGTH) {
    throw badUserInput("input.body", `A message has 1 to ${MAX_BODY_LENGTH} characters`);
  }
  return trimmed;
}

/**
 * A client's idempotency key, 1..100 characters.
 *
 * @throws BAD_USER_INPUT on `input.clientMessageId` otherwise.
 */
export function clientMessageId(id: string): string {
  if (id.length < 1 || id.length > MAX_CLIENT_MESSAGE_ID_LENGTH) {
    throw badUserInput(
      "input.clientMessageId",
      `clientMessageId has 1 to ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters`,
    );
  }
  return id;
}
