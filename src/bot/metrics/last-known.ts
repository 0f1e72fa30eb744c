/** How long `/healthz` and a scrape wait for the engine process before they use what it said last. */
export const ENGINE_ANSWER_MS = 1000;

const LATE = Symbol('late');

/**
 * The latest answer of a call to the engine process, which may be slow to come while that process computes (a
 * burst of questions, a reindex): a read waits at most `timeoutMs` for a fresh answer, then gives the last one
 * (undefined before the first). One call is in flight at a time, so probes against a busy engine do not pile up.
 * A call that fails rejects the reads waiting on it; the last answer stays for later reads that time out.
 */
export class LastKnown<T> {
  private last: T | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly timeoutMs: number = ENGINE_ANSWER_MS,
  ) {}

  async read(): Promise<T | undefined> {
    const pending = (this.inFlight ??= this.start());
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), this.timeoutMs);
    });
    try {
      const value = await Promise.race([pending, late]);
      return value === LATE ? this.last : value;
    } finally {
      clearTimeout(timer);
    }
  }

  private start(): Promise<T> {
    const pending = this.fetch().then((value) => (this.last = value));
    // Whoever stopped waiting does not hear of a late failure; the next read starts a new call.
    pending.then(
      () => (this.inFlight = undefined),
      () => (this.inFlight = undefined),
    );
    return pending;
  }
}
