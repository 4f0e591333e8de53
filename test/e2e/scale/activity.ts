import { randomInt, randomUUID } from "node:crypto";
import type { GraphQLResponse } from "@pulse/testkit/api-client";
import { endingOf } from "../faults/load.ts";
import {
  dataOf,
  syncRecord,
  type Competition,
  type Person,
  type Population,
} from "./population.ts";

/**
 * Matches made over the run: suitors the popular person liked beforehand like her back, a new
 * one every `everyMs`; in between, the last one's like is repeated (a swipe repeated answers the
 * same). Keeps the matches made, in order, to compare with what her subscription got.
 */
export class Suitors {
  /** Match ids the API answered with, in the order they were made. */
  readonly matched: string[] = [];
  private next = 0;
  private lastMatchAt = -Infinity;

  constructor(
    private readonly popular: Person,
    private readonly suitors: Person[],
    private readonly everyMs: number,
  ) {}

  readonly swipe = async (): Promise<GraphQLResponse> => {
    const advance =
      performance.now() - this.lastMatchAt >= this.everyMs && this.next < this.suitors.length;
    if (advance) this.next += 1;
    const suitor = this.suitors[Math.max(0, this.next - 1)]!;
    const response = await suitor.client.op("Swipe", {
      input: { targetUserId: this.popular.id, action: "LIKE" },
    });
    if (endingOf(response) !== "ok") {
      // Perhaps not made: this suitor tries again next time (a repeated like answers the same).
      if (advance) this.next -= 1;
      return response;
    }
    const id = (response.data as { swipe: { match: { id: string } | null } }).swipe.match?.id;
    if (id && !this.matched.includes(id)) {
      this.matched.push(id);
      this.lastMatchAt = performance.now();
    }
    return response;
  };

  /**
   * Matches made whose conversation chat has not opened, as the popular person's `Matches`
   * shows them (100 at most): chat opens one on each `match.created` event.
   */
  async withoutConversation(): Promise<string[]> {
    const page = dataOf(await this.popular.client.op("Matches", { first: 100 }), "Matches").matches
      .edges as { node: { id: string; conversation: { id: string } | null } }[];
    const opened = new Set(page.flatMap(({ node }) => (node.conversation ? [node.id] : [])));
    return this.matched.filter((id) => !opened.has(id));
  }

  /** People the set-up needs: the popular one and every suitor, each liked by her. */
  static async gather(population: Population, count: number) {
    const popular = await population.person("FEMALE");
    const suitors = await Promise.all(
      Array.from({ length: count }, () => population.person("MALE")),
    );
    for (const suitor of suitors) await population.like(popular, suitor);
    return { popular, suitors };
  }
}

/** How often a final sync is tried: every replica is up by then, so it fails rarely. */
const FINISH_ATTEMPTS = 20;

/**
 * Steps synced by the competition's participants in turn, each replacing their one record with a
 * random value, so ranks keep changing. `finish` then gives each participant in turn the lead.
 */
export class StepSyncs {
  private turn = 0;
  private readonly records: string[];

  constructor(
    private readonly competition: Competition,
    readonly participants: Person[],
  ) {
    this.records = participants.map(() => randomUUID());
  }

  readonly sync = (): Promise<GraphQLResponse> => {
    const index = this.turn++ % this.participants.length;
    return syncRecord(
      this.participants[index]!,
      this.competition,
      this.records[index]!,
      randomInt(100, 5000),
    );
  };

  /**
   * Participant k (from 0) syncs more than anyone had, one after the other, so each takes the
   * lead in turn and every rank changes: participant k ends at rank n − k, and every subscriber
   * hears of its final rank.
   */
  async finish(): Promise<number[]> {
    for (const [index, person] of this.participants.entries()) {
      const steps = 6000 + index;
      for (let attempt = 1; ; attempt += 1) {
        const response = await syncRecord(person, this.competition, this.records[index]!, steps);
        if (endingOf(response) === "ok") break;
        if (attempt === FINISH_ATTEMPTS) dataOf(response, "the final SyncActivity");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return this.participants.map((_, index) => this.participants.length - index);
  }
}
