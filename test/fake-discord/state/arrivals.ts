interface Waiter<T> {
  readonly predicate: (item: T) => boolean;
  readonly consume: boolean;
  readonly resolve: (item: T) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Things that arrive over time (requests, messages, edits), for tests to await without sleeping: `take` hands each
 * item to one taker, in arrival order, whether it came before or after the call; `find` only looks. Every wait has
 * a timeout as a safety net, and `close` rejects whatever still waits, so no timer outlives the fake.
 */
export class Arrivals<T> {
  private readonly items: T[] = [];
  private readonly untaken: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private closedBecause: string | undefined;

  constructor(private readonly what: string) {}

  /** Everything that arrived, in order. */
  get all(): readonly T[] {
    return this.items;
  }

  get last(): T | undefined {
    return this.items.at(-1);
  }

  push(item: T): void {
    this.items.push(item);
    let taken = false;
    for (const waiter of this.waiters) {
      if ((taken && waiter.consume) || !waiter.predicate(item)) continue;
      this.settle(waiter);
      waiter.resolve(item);
      taken ||= waiter.consume;
    }
    if (!taken) this.untaken.push(item);
  }

  /** The first untaken item that matches, now or when it arrives; it is then taken. */
  take(predicate: (item: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    const index = this.untaken.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.untaken.splice(index, 1)[0]!);
    return this.wait(predicate, true, timeoutMs);
  }

  /** The first item that matches, among those that arrived or the next ones; nothing is taken. */
  find(predicate: (item: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const found = this.items.find(predicate);
    return found === undefined ? this.wait(predicate, false, timeoutMs) : Promise.resolve(found);
  }

  /** Rejects every pending wait, and any later one. */
  close(reason: string): void {
    this.closedBecause = reason;
    for (const waiter of this.waiters) {
      this.settle(waiter);
      waiter.reject(new Error(`fake Discord: ${reason} while waiting for ${this.what}`));
    }
  }

  private wait(predicate: (item: T) => boolean, consume: boolean, timeoutMs: number): Promise<T> {
    if (this.closedBecause) return Promise.reject(new Error(`fake Discord: ${this.closedBecause}; no more ${this.what}`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(waiter);
        reject(new Error(`fake Discord: no ${this.what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter<T> = { predicate, consume, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  private settle(waiter: Waiter<T>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}
