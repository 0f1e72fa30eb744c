/**
 * A sliding one-minute window per member. `now` is injectable so tests need no sleeps.
 */
export class RateLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a request and returns 0 if allowed, else the seconds until the member may ask again. */
  take(userId: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const times = (this.recent.get(userId) ?? []).filter((time) => now - time < 60_000);
    if (times.length >= this.perMinute) {
      this.recent.set(userId, times);
      return Math.ceil((times[0]! + 60_000 - now) / 1000);
    }
    times.push(now);
    this.recent.set(userId, times);
    if (this.recent.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    for (const [user, times] of this.recent) if (now - times[times.length - 1]! >= 60_000) this.recent.delete(user);
  }
}
