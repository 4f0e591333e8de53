import type { DomainEvent, PrismaTransaction } from "@pulse/platform/subgraph";

/** Keeps what billing needs to sell a competition's entry: the fee never comes from a client. */
export async function keepCompetition(
  event: DomainEvent<"competition.created">,
  tx: PrismaTransaction,
): Promise<void> {
  const { competitionId, name, entryFeeCents, currency, startsAt, endsAt } = event.payload;
  const fields = {
    name,
    entryFeeCents,
    currency: currency.toLowerCase(),
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
  };
  await tx.billingCompetition.upsert({
    where: { id: competitionId },
    create: { id: competitionId, ...fields },
    update: fields,
  });
}
