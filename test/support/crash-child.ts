/**
 * Child process for crash tests: reindexes DATA_DIR with the tiny model and kills itself with SIGKILL when the
 * reindex reaches the checkpoint named in argv[2], exactly as a power cut or OOM kill would stop it there.
 * Run: node --import tsx test/support/crash-child.ts <checkpoint>
 */
import { loadConfig } from '../../src/config.ts';
import { Engine, type ReindexCheckpoint } from '../../src/engine/engine.ts';
import { configuredEngineDependencies } from '../../src/engine-wiring.ts';

const crashAt = process.argv[2] as ReindexCheckpoint;
const config = loadConfig({ dotenv: false });
const engine = await Engine.open(config.engine, {
  ...configuredEngineDependencies(config.engine),
  checkpoint: (point) => {
    if (point === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
await engine.reindex();
process.stdout.write('finished without crashing\n');
