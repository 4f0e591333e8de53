/**
 * Deliveries of subscription events the gateway makes in one turn of its event loop, at most.
 * One update of a shared stream reaches every subscriber of it at once (a thousand watchers of a
 * top, several places moving): delivered in one turn, that is a stall of a tenth of a second or
 * more, which every request waiting on the gateway sits through. Past the budget, deliveries
 * wait for later turns, with requests' I/O served in between.
 */
export const DELIVERIES_PER_TURN = 200;

/**
 * Hands out the turn's deliveries; past them, a delivery waits for a later turn (first come, first
 * served, so each subscriber's own events keep their order).
 */
export class DeliveryTurns {
  /** Deliveries given in the turn open now. */
  private given = 0;
  private readonly waiting: (() => void)[] = [];
  /** Whether a turn is open: its end is scheduled (the loop's next check phase). */
  private open = false;

  constructor(private readonly perTurn: number = DELIVERIES_PER_TURN) {}

  /** Resolves when the caller may deliver: at once (undefined) while the turn has room. */
  take(): Promise<void> | undefined {
    if (!this.open) this.openTurn(0);
    if (this.given < this.perTurn && this.waiting.length === 0) {
      this.given += 1;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private openTurn(given: number): void {
    this.open = true;
    this.given = given;
    setImmediate(() => {
      this.open = false;
      if (this.waiting.length === 0) return;
      const admitted = this.waiting.splice(0, this.perTurn);
      this.openTurn(admitted.length);
      for (const admit of admitted) admit();
    });
  }
}
