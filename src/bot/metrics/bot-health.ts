import { Status, type Client } from 'discord.js';
import type { SearchMode } from '../../search/search-mode.ts';
import type { KnowledgeService } from '../../engine/knowledge-base.ts';
import type { EngineStats } from '../../engine/types.ts';
import type { StoreHealth } from '../../store/index-store.ts';
import { describeError } from '../../errors.ts';
import { ENGINE_ANSWER_MS, LastKnown } from './last-known.ts';

/** What `/healthz` says: ready, or not with the first reason found. */
export interface Health {
  readonly ready: boolean;
  readonly reason?: string;
  /** The gateway shards of this process, when known. */
  readonly shards?: readonly number[];
  /**
   * The index store, once the engine is open: unhealthy (with its reason) while its database is unreachable. The
   * bot stays ready then, answering from the generation it holds in memory; only index writes fail.
   */
  readonly store?: StoreHealth;
}

/**
 * Whether this bot process can answer: the model loaded (unless keyword mode is configured), an index generation
 * published, and every gateway shard of the process connected. Each step of start-up flips one of these. The
 * engine's answers come through {@link LastKnown}: a probe never waits long on an engine process busy computing.
 */
export class BotHealth {
  private engine: { readonly stats: LastKnown<EngineStats>; readonly store: LastKnown<StoreHealth> } | undefined;
  private client: Client | undefined;
  private stopping = false;

  constructor(
    private readonly configuredMode: SearchMode,
    private readonly engineAnswerMs = ENGINE_ANSWER_MS,
  ) {}

  /** The engine is open and its index ensured. */
  engineReady(knowledge: KnowledgeService): void {
    this.engine = {
      stats: new LastKnown(() => knowledge.stats(), this.engineAnswerMs),
      store: new LastKnown(() => knowledge.storeHealth(), this.engineAnswerMs),
    };
  }

  /** The client logged in (its shards may still reconnect later). */
  gatewayReady(client: Client): void {
    this.client = client;
  }

  shuttingDown(): void {
    this.stopping = true;
  }

  async check(): Promise<Health> {
    if (this.stopping) return { ready: false, reason: 'shutting down' };
    if (!this.engine) return { ready: false, reason: 'engine starting: loading the model and the index' };
    let stats: EngineStats | undefined;
    let store: StoreHealth | undefined;
    try {
      [stats, store] = await Promise.all([this.engine.stats.read(), this.engine.store.read().catch(() => undefined)]);
    } catch (error) {
      return { ready: false, reason: `engine not answering: ${describeError(error)}` };
    }
    if (!stats) return { ready: false, reason: `engine not answering within ${this.engineAnswerMs} ms` };
    return { ...this.readiness(stats), ...(store ? { store } : {}) };
  }

  private readiness(stats: EngineStats): Health {
    if (this.configuredMode !== 'keyword' && stats.mode === 'keyword') {
      return { ready: false, reason: `model unavailable: answering in keyword mode instead of ${this.configuredMode}` };
    }
    if (stats.generation === 0) return { ready: false, reason: 'no index generation published yet' };
    if (!this.client) return { ready: false, reason: 'gateway: not logged in yet' };
    const shards = [...this.client.ws.shards.keys()];
    for (const [id, shard] of this.client.ws.shards) {
      if (shard.status !== Status.Ready) return { ready: false, reason: `gateway shard ${id}: ${Status[shard.status] ?? shard.status}`, shards };
    }
    return { ready: true, shards };
  }
}
