import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";

export const MAX_BODY_LENGTH = 2000;
export const MAX_CLIENT_MESSAGE_ID_LENGTH = 100;

@InputType("SendMessageInput", { description: "A message to send, and its idempotency key." })
export class SendMessageInput {
  @Field(() => ID, { description: "The conversation to write to: one of the viewer's, open." })
  conversationId!: string;

  @Field(() => String, {
    description:
      "The text; leading and trailing white space is removed, then 1 to 2000 characters.",
  })
  body!: string;

  @Field(() => ID, {
    description:
      "A key the client makes up per message (1 to 100 characters, e.g. a UUID). Retrying with the same key stores nothing new and returns the first message; reusing it for another conversation or body is a CONFLICT.",
  })
  clientMessageId!: string;
}

/**
 * `SendMessageInput` as stored: the body trimmed, 1..2000 characters (code points, so an emoji
 * is one); the client's idempotency key 1..100 characters.
 */
export const sendMessageInputSchema = z.object({
  conversationId: z.string(),
  body: z
    .string()
    .trim()
    .refine((body) => {
      const length = [...body].length;
      return length >= 1 && length <= MAX_BODY_LENGTH;
    }, `A message has 1 to ${MAX_BODY_LENGTH} characters`),
  clientMessageId: z
    .string()
    .min(1, `clientMessageId has 1 to ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters`)
    .max(
      MAX_CLIENT_MESSAGE_ID_LENGTH,
      `clientMessageId has 1 to ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters`,
    ),
});
