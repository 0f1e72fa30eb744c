import fs from 'node:fs';
import path from 'node:path';
import { openKnowledge as openEngine } from '../../src/engine/host/open-engine.ts';
import type { OpenKnowledge } from '../../src/engine/host/protocol.ts';

/** The file whose creation lets {@link openKnowledge} open the engine. */
export const OPEN_GATE = 'open-gate';

/**
 * For the engine process in tests: the real engine, opened only once `DATA_DIR/open-gate` exists, so a test can
 * look at the bot while its engine is still "loading".
 */
export const openKnowledge: OpenKnowledge = async (config, logger) => {
  const gate = path.join(config.dataDir, OPEN_GATE);
  await new Promise<void>((resolve) => {
    const watcher = fs.watch(config.dataDir, () => {
      if (fs.existsSync(gate)) watcher.close(), resolve();
    });
    if (fs.existsSync(gate)) watcher.close(), resolve();
  });
  return openEngine(config, logger);
};
