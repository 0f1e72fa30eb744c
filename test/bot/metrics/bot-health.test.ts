import { describe, expect, it } from 'vitest';
import { BotHealth } from '../../../src/bot/metrics/bot-health.ts';
import type { KnowledgeService } from '../../../src/engine/knowledge-base.ts';
import type { EngineStats } from '../../../src/engine/types.ts';
import type { StoreHealth } from '../../../src/store/index-store.ts';

const STATS: EngineStats = { mode: 'keyword', model: null, dimension: null, documents: 1, paragraphs: 1, generation: 1, indexedAt: null, knowledgeBasesInMemory: 1, paragraphsInMemory: 1 };

/** An engine whose answers the test releases one by one, as a busy engine process gives them late. */
function slowEngine() {
  const waiting: (() => void)[] = [];
  let store: StoreHealth = { healthy: true };
  const later = <T>(value: () => T) => new Promise<T>((resolve) => waiting.push(() => resolve(value())));
  const knowledge = { stats: () => later(() => STATS), storeHealth: () => later(() => store) } as unknown as KnowledgeService;
  return {
    knowledge,
    setStore: (health: StoreHealth) => (store = health),
    answerAll: () => waiting.splice(0).forEach((answer) => answer()),
  };
}

describe('BotHealth while the engine process is busy', () => {
  it('answers within its wait with the engine\'s last known state, then with the fresh one', async () => {
    const engine = slowEngine();
    const health = new BotHealth('keyword', 50);
    health.engineReady(engine.knowledge);

    expect(await health.check()).toEqual({ ready: false, reason: 'engine not answering within 50 ms' });
    engine.answerAll();
    await new Promise((resolve) => setImmediate(resolve));
    // Known now; the gateway is what is missing.
    expect(await health.check()).toEqual({ ready: false, reason: 'gateway: not logged in yet', store: { healthy: true } });

    engine.setStore({ healthy: false, reason: 'the index database is unreachable' });
    const stale = await health.check();
    expect(stale.store).toEqual({ healthy: true });
    engine.answerAll();
    await new Promise((resolve) => setImmediate(resolve));
    const pending = health.check();
    engine.answerAll();
    expect((await pending).store).toEqual({ healthy: false, reason: 'the index database is unreachable' });
  });
});
