/** Discord's epoch, 2015-01-01T00:00:00Z, in milliseconds. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Makes snowflake ids the way Discord does: milliseconds since Discord's epoch shifted left 22 bits, plus an
 * increment. Ids are strictly increasing, so "newer" compares as greater, exactly as bots may rely on.
 *
 * @see https://discord.com/developers/docs/reference#snowflakes
 */
export class SnowflakeGenerator {
  private last = 0n;

  next(): string {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    this.last = fromClock > this.last ? fromClock : this.last + 1n;
    return String(this.last);
  }
}
