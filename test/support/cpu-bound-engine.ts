import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { openKnowledge as openEngine } from '../../src/engine/host/open-engine.ts';
import type { OpenKnowledge } from '../../src/engine/host/protocol.ts';

/** How long a "spin" question keeps every core busy: longer than Discord's 3 s, so a wait behind it would show. */
export const SPIN_MS = 5000;

/**
 * For the engine process in tests: the real engine, except that a question containing "spin" first keeps every
 * core of the machine busy for {@link SPIN_MS} (this thread and one worker thread per other core), as a flood of
 * answers would.
 */
export const openKnowledge: OpenKnowledge = async (config, logger) => {
  const engine = await openEngine(config, logger);
  return {
    ...engine,
    async ask(question, options) {
      if (question.includes('spin')) spinEveryCore(SPIN_MS);
      return engine.ask(question, options);
    },
  };
};

function spinEveryCore(ms: number): void {
  const spin = `const end = Date.now() + ${ms}; while (Date.now() < end);`;
  for (let i = 1; i < os.availableParallelism(); i++) new Worker(spin, { eval: true }).unref();
  new Function(spin)();
}
