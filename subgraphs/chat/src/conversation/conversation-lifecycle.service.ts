import { randomUUID } from "node:crypto";
import type { Prisma } from "@pulse/db";
import type { PrismaTransaction } from "@pulse/platform/subgraph";
import { hidesConversation, type CloseReason } from "./conversation.rules.ts";

/**
 * Opens the conversation of a match with both people's sides, in the caller's transaction. Only
 * once per match: a redelivered or late event finds it (unique match id) and changes nothing.
 */
export async function openConversation(
  tx: PrismaTransaction,
  match: { matchId: string; userIds: readonly [string, string]; at: string },
): Promise<void> {
  const [userLow, userHigh] = [...match.userIds].sort() as [string, string];
  await tx.$executeRaw`
    WITH opened AS (
      INSERT INTO chat.conversation (id, match_id, user_low, user_high, created_at)
      VALUES (${randomUUID()}::uuid, ${match.matchId}::uuid, ${userLow}::uuid, ${userHigh}::uuid,
              ${match.at}::timestamptz)
      ON CONFLICT (match_id) DO NOTHING
      RETURNING id, created_at)
    INSERT INTO chat.conversation_participant (conversation_id, user_id, last_activity_at)
    SELECT opened.id, person, opened.created_at
    FROM opened, unnest(${[userLow, userHigh]}::uuid[]) AS person`;
}

/**
 * Closes the open conversations `where` selects, in the caller's transaction; one closed already
 * keeps its first reason. An unmatch or a block also takes them out of both people's lists.
 */
export async function closeConversations(
  tx: PrismaTransaction,
  where: Prisma.ConversationWhereInput,
  reason: CloseReason,
  at: Date,
): Promise<void> {
  const closed = await tx.conversation.updateManyAndReturn({
    where: { AND: [where, { closedAt: null }] },
    data: { closedAt: at, closedReason: reason },
    select: { id: true },
  });
  if (closed.length === 0 || !hidesConversation(reason)) return;
  await tx.conversationParticipant.updateMany({
    where: { conversationId: { in: closed.map((conversation) => conversation.id) } },
    data: { hiddenAt: at },
  });
}
