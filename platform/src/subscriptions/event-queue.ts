/**
 * An async iterator fed by pushes: the events of one subscription waiting for their consumer, in
 * order. Unbounded by itself: the owner watches `size` (graphql-ws pulls the next event only once
 * the previous one was written, so a client that reads slowly makes it grow).
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;
  private finished = false;
  private emptied: (() => void) | null = null;

  /** @param onFinish called once, when the consumer got the end or stopped early. */
  constructor(private readonly onFinish: () => void) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** No more items: the consumer gets what is queued, then the end. */
  end(): void {
    this.ended = true;
    if (this.waiting && this.items.length === 0) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
      this.finish();
    }
  }

  /** Resolves once the consumer has taken everything queued so far. */
  whenEmpty(): Promise<void> {
    if (this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.emptied = resolve));
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (this.items.length === 0) this.notifyEmpty();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.ended) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.ended = true;
    this.items.length = 0;
    this.notifyEmpty();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  private notifyEmpty(): void {
    this.emptied?.();
    this.emptied = null;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
