/**
 * Spaces the requests to each host: one at a time, at least `intervalMs` (or the site's Crawl-delay, whichever is
 * longer) between the starts of two requests, so syncing a site never hammers it.
 */
export class HostPacer {
  private readonly nextAt = new Map<string, number>();
  private readonly delays = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** A host's own delay (robots.txt Crawl-delay), capped so one site cannot stall a sync for long. */
  setDelay(host: string, ms: number): void {
    this.delays.set(host, Math.min(ms, 10_000));
  }

  /** Resolves when a request to `host` may start. */
  async turn(host: string): Promise<void> {
    const wait = (this.nextAt.get(host) ?? 0) - this.now();
    this.nextAt.set(host, Math.max(this.now(), this.nextAt.get(host) ?? 0) + Math.max(this.intervalMs, this.delays.get(host) ?? 0));
    if (wait > 0) await this.sleep(wait);
  }
}
