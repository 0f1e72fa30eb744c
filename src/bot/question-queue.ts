/**
 * Runs question work one at a time, in arrival order. Answering is CPU-bound (embedding, ranking), so running
 * questions side by side only interleaves them and delays every one; in a queue, each waits its turn and the
 * bot can tell at once whether a new question will wait long, and acknowledge it to Discord before its turn.
 */
export class QuestionQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  /** Moving average of how long one question's work takes; undefined until one has finished. */
  private averageMs: number | undefined;

  /**
   * @param longWaitMs a new question whose expected wait exceeds this is `busy`.
   * @param now milliseconds clock, injectable for tests.
   */
  constructor(
    private readonly longWaitMs = LONG_WAIT_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Whether a question submitted now is expected to wait longer than `longWaitMs` behind the others (always, while
   * nothing has been timed yet). Such a question is deferred at once; a shorter wait is answered directly, which
   * keeps deferral edits (counted against the client's 50 requests/s global limit, unlike direct replies) rare.
   */
  get busy(): boolean {
    if (this.waiting === 0) return false;
    return this.averageMs === undefined || this.waiting * this.averageMs > this.longWaitMs;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const timed = async () => {
      const started = this.now();
      try {
        return await work();
      } finally {
        const took = this.now() - started;
        this.averageMs = this.averageMs === undefined ? took : this.averageMs + SMOOTHING * (took - this.averageMs);
      }
    };
    const result = this.tail.then(timed).finally(() => this.waiting--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * Well inside Discord's 3 s acknowledgement window: a question expected to be answered within this is replied to
 * directly, and even a 5x misestimate (a slow spell of the CPU) stays inside the window.
 */
const LONG_WAIT_MS = 500;
/** Weight of the newest duration in the moving average: follows a change in load within a few dozen questions. */
const SMOOTHING = 0.1;
