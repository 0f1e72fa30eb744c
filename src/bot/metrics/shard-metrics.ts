import type { Shard, ShardingManager } from 'discord.js';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Health } from './bot-health.ts';
import type { MetricsSource } from './metrics-server.ts';

/** Launcher → shard: a request for the shard's metrics (as prom-client JSON) or its health. */
interface ShardRequest {
  readonly docqa: 'metrics-request';
  readonly id: number;
  readonly what: 'metrics' | 'health';
}

/** Shard → launcher. */
interface ShardReply {
  readonly docqa: 'metrics-reply';
  readonly id: number;
  readonly value?: unknown;
  readonly error?: string;
}

/** How long the launcher waits for one shard's answer before it counts that shard as not answering. */
const SHARD_ANSWER_MS = 5000;

/**
 * In a shard spawned by the launcher: answers the launcher's requests for this process's metrics and health over
 * the IPC channel discord.js's ShardingManager already keeps to each shard. Returns a function that stops it.
 */
export function answerLauncher(local: { registry: Registry; health: () => Promise<Health> }): () => void {
  const onMessage = (message: unknown) => {
    if (!isRequest(message)) return;
    const pending = message.what === 'metrics' ? local.registry.getMetricsAsJSON() : local.health();
    pending.then(
      (value) => reply({ docqa: 'metrics-reply', id: message.id, value }),
      (error: unknown) => reply({ docqa: 'metrics-reply', id: message.id, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  const reply = (answer: ShardReply) => {
    if (process.connected) process.send?.(answer);
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

/**
 * In the launcher: the machine's metrics and health, gathered from its shards. prom-client's AggregatorRegistry
 * gathers the workers of Node's `cluster` by itself, but shards are plain child processes, so the launcher asks
 * each over the ShardingManager's IPC channel and combines the answers with the same `AggregatorRegistry.aggregate`
 * (counters and histograms summed, each metric's `aggregator` otherwise). One port per machine, whatever its
 * number of shards, and a shard that is restarting shows as not ready instead of as a missing scrape target.
 */
export function gatherFromShards(manager: ShardingManager, expected: readonly number[]): MetricsSource {
  let nextId = 0;
  const ask = <T>(shard: Shard, what: ShardRequest['what']): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => finish(new Error(`shard ${shard.id} did not answer within ${SHARD_ANSWER_MS} ms`)), SHARD_ANSWER_MS);
      const onMessage = (message: unknown) => {
        const answer = message as Partial<ShardReply> | null;
        if (answer?.docqa !== 'metrics-reply' || answer.id !== id) return;
        if (answer.error !== undefined) finish(new Error(answer.error));
        else finish(undefined, answer.value as T);
      };
      const finish = (error: Error | undefined, value?: T) => {
        clearTimeout(timer);
        shard.off('message', onMessage);
        if (error) reject(error);
        else resolve(value as T);
      };
      shard.on('message', onMessage);
      shard.send({ docqa: 'metrics-request', id, what } satisfies ShardRequest).catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
    });
  const running = () => [...manager.shards.values()].filter((shard) => shard.process !== null);

  return {
    async metrics() {
      const answers = await Promise.allSettled(running().map((shard) => ask<object>(shard, 'metrics')));
      const registry = AggregatorRegistry.aggregate(answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : [])));
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    async health() {
      // The shards share one store: the machine's is the first shard's that cannot reach it, else any shard's.
      let store: Health['store'];
      for (const id of expected) {
        const shard = manager.shards.get(id);
        if (!shard?.process) return { ready: false, reason: `shard ${id}: not running (starting or restarting)` };
        try {
          const health = await ask<Health>(shard, 'health');
          if (!health.ready) return { ready: false, reason: `shard ${id}: ${health.reason}`, ...(health.store ? { store: health.store } : {}) };
          if (health.store && (!store || (store.healthy && !health.store.healthy))) store = health.store;
        } catch (error) {
          return { ready: false, reason: `shard ${id}: ${error instanceof Error ? error.message : String(error)}` };
        }
      }
      return { ready: true, shards: expected, ...(store ? { store } : {}) };
    },
  };
}

function isRequest(message: unknown): message is ShardRequest {
  return typeof message === 'object' && message !== null && (message as Partial<ShardRequest>).docqa === 'metrics-request';
}
