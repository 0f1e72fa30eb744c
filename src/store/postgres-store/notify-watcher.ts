import pg from 'pg';
import type { GenerationWatcher } from '../generation.ts';

export interface NotifyWatcherOptions {
  readonly connection: pg.ClientConfig;
  readonly channel: string;
  /** A notification arrived, or the connection came back (a commit may have been missed meanwhile). */
  readonly onChange: () => void;
  /** The listening connection was lost (`reason`) or is back (null). */
  readonly onConnection: (reason: string | null) => void;
  /** Wait before the first reconnection; doubled each failure up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * LISTENs on one dedicated connection (a pooled one would be handed to others) and reconnects with backoff when
 * it is lost. PostgreSQL delivers a NOTIFY at its transaction's commit, so a notification always names a
 * committed generation; none are queued for a connection that is down, hence the catch-up call on reconnect.
 */
export function watchNotifications(options: NotifyWatcherOptions): GenerationWatcher {
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delay = options.firstDelayMs;
  let everConnected = false;

  const lost = (which: pg.Client, reason: string) => {
    if (closed || client !== which) return; // 'error' and 'end' both come for one loss
    which.removeAllListeners('end');
    which.end().catch(() => undefined);
    client = null;
    options.onConnection(reason);
    timer = setTimeout(connect, delay);
    timer.unref();
    delay = Math.min(options.maxDelayMs, delay * 2);
  };

  const connect = async () => {
    timer = null;
    if (closed) return;
    const next = new pg.Client(options.connection);
    client = next;
    next.on('error', (error) => lost(next, error.message));
    next.on('end', () => lost(next, 'the connection ended'));
    next.on('notification', () => options.onChange());
    try {
      await next.connect();
      await next.query(`LISTEN ${options.channel}`);
      // The connection must not hold the process open on its own.
      (next as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    } catch (error) {
      lost(next, (error as Error).message);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    delay = options.firstDelayMs;
    options.onConnection(null);
    if (everConnected) options.onChange();
    everConnected = true;
  };

  void connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      current?.removeAllListeners('end');
      current?.end().catch(() => undefined);
    },
  };
}
