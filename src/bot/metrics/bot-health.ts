import { Status, type Client } from 'discord.js';
import type { SearchMode } from '../../search/search-mode.ts';
import type { KnowledgeBase } from '../../engine/knowledge-base.ts';
import { describeError } from '../../errors.ts';

/** What `/healthz` says: ready, or not with the first reason found. */
export interface Health {
  readonly ready: boolean;
  readonly reason?: string;
  /** The gateway shards of this process, when known. */
  readonly shards?: readonly number[];
}

/**
 * Whether this bot process can answer: the model loaded (unless keyword mode is configured), an index generation
 * published, and every gateway shard of the process connected. Each step of start-up flips one of these.
 */
export class BotHealth {
  private knowledge: KnowledgeBase | undefined;
  private client: Client | undefined;
  private stopping = false;

  constructor(private readonly configuredMode: SearchMode) {}

  /** The engine is open and its index ensured. */
  engineReady(knowledge: KnowledgeBase): void {
    this.knowledge = knowledge;
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
    if (!this.knowledge) return { ready: false, reason: 'engine starting: loading the model and the index' };
    let stats;
    try {
      stats = await this.knowledge.stats();
    } catch (error) {
      return { ready: false, reason: `engine not answering: ${describeError(error)}` };
    }
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
