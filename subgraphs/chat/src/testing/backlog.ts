import type { PrismaClient } from "@pulse/platform/subgraph";

/**
 * Stores `count` messages from `senderId` in a conversation of theirs in one statement, as
 * sending them one after another would have: numbered after its newest, placed in both people's
 * feeds, counted unread for the other person, sent a millisecond apart up to now, with bodies
 * "backlog 1" to "backlog {count}". For tests and benchmarks that need a long history fast.
 */
export async function storeBacklog(
  prisma: PrismaClient,
  conversationId: string,
  senderId: string,
  count: number,
): Promise<void> {
  await prisma.$executeRaw`
    WITH numbered AS (
      UPDATE chat.conversation SET last_seq = last_seq + ${count}::int
      WHERE id = ${conversationId}::uuid
      RETURNING id, user_low, user_high, last_seq - ${count}::int AS seq_before
    ), placed AS (
      INSERT INTO chat.feed_counter AS counter (user_id, last_position)
      SELECT user_low, ${count}::int FROM numbered
      UNION ALL SELECT user_high, ${count}::int FROM numbered
      ON CONFLICT (user_id) DO UPDATE SET last_position = counter.last_position + ${count}::int
      RETURNING user_id, last_position - ${count}::int AS position_before
    ), stored AS (
      INSERT INTO chat.message (id, conversation_id, seq, sender_id, client_message_id, body,
                                sent_at, sender_position, recipient_id, recipient_position)
      SELECT gen_random_uuid(), numbered.id, numbered.seq_before + n, ${senderId}::uuid,
             'backlog-' || gen_random_uuid(), 'backlog ' || n,
             clock_timestamp() - (${count}::int - n) * interval '1 millisecond',
             sender.position_before + n, recipient.user_id, recipient.position_before + n
      FROM numbered
      CROSS JOIN generate_series(1, ${count}::int) AS n
      JOIN placed AS sender ON sender.user_id = ${senderId}::uuid
      JOIN placed AS recipient ON recipient.user_id <> ${senderId}::uuid
    )
    UPDATE chat.conversation_participant AS participant
    SET last_activity_at = clock_timestamp(),
        unread_count = participant.unread_count
          + CASE WHEN participant.user_id = ${senderId}::uuid THEN 0 ELSE ${count}::int END
    FROM numbered
    WHERE participant.conversation_id = numbered.id`;
}
