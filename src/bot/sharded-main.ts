import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import { loadConfig, type AppConfig } from '../config.ts';
import { createError, describeError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import { serveMetrics } from './metrics/metrics-server.ts';
import { gatherFromShards } from './metrics/shard-metrics.ts';

const SHARD_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * `npm run start:sharded`: one process per gateway shard on this machine, through discord.js's ShardingManager.
 * Each shard process is `src/bot/main.ts` with its own engine process, so a crash or a slow reindex in one
 * stays in it; every shard reads the same index folder and picks up a generation another one commits. SIGTERM
 * or SIGINT stops every shard cleanly (each finishes its running index write) and exits 0.
 */
async function main(): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`Error: ${describeError(error)}\n`);
    return 1;
  }
  const token = config.bot.discordToken;
  const logger = createLogger({ level: config.logLevel, secrets: token ? [token] : [] });
  let stopping = false;
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  }).then((signal) => ((stopping = true), signal));

  let manager: ShardingManager;
  let shardIds: readonly number[];
  try {
    if (!token) throw createError('DISCORD_TOKEN_MISSING');
    const { shardCount, shardIds: configured } = config.bot.sharding;
    const total = typeof shardCount === 'number' ? shardCount : await recommendedShardCount(config, token);
    shardIds = configured ?? Array.from({ length: total }, (_, id) => id);
    // The shards run TypeScript as this process does (node --import tsx).
    manager = new ShardingManager(SHARD_MAIN, { totalShards: total, shardList: [...shardIds], token, execArgv: process.execArgv, respawn: true });
    logger.info(`Starting shards ${shardIds.join(',')} of ${total}`);
  } catch (error) {
    logger.error(describeError(error));
    return 1;
  }

  const { port, host } = config.bot.metrics;
  const metrics = port === undefined ? undefined : await serveMetrics(gatherFromShards(manager, shardIds), { port, host });
  if (metrics) logger.info(`Health and metrics of this machine's shards on ${metrics.url}`);

  manager.on('shardCreate', (shard) => {
    shard.on('death', (child) => {
      if (!stopping) logger.error(`Shard ${shard.id} exited (${'exitCode' in child ? `code ${child.exitCode}` : 'worker'}); restarting it.`);
    });
  });

  const spawned = spawnShards(manager, shardIds, config, logger, () => stopping);
  const outcome = await Promise.race([spawned.then(() => 'spawned' as const, (error: unknown) => error), stopSignal]);
  if (outcome !== 'spawned' && typeof outcome !== 'string') {
    logger.error(`A shard failed to start: ${describeError(outcome)}`);
    stopping = true;
    await stopShards(manager);
    await metrics?.close();
    return 1;
  }
  if (outcome === 'spawned') logger.info(`All ${shardIds.length} shards ready.`);
  const signal = await stopSignal;
  logger.info(`${signal}: stopping ${manager.shards.size} shards`);
  await spawned.catch(() => undefined);
  await stopShards(manager);
  await metrics?.close();
  logger.info('All shards stopped.');
  return 0;
}

/**
 * Spawns the shards one after the other, each once the previous is ready: the first builds a missing index and
 * the others load it, and Discord accepts one IDENTIFY per 5 s per bucket (SHARD_SPAWN_DELAY_MS between them).
 * Stops spawning when a stop is asked.
 */
async function spawnShards(manager: ShardingManager, ids: readonly number[], config: AppConfig, logger: Logger, stopping: () => boolean): Promise<void> {
  for (const [index, id] of ids.entries()) {
    if (stopping()) return;
    const shard = manager.createShard(id);
    await shard.spawn(config.bot.shardReadyTimeoutMs);
    logger.info(`Shard ${id} ready.`);
    if (index < ids.length - 1 && config.bot.shardSpawnDelayMs > 0) await sleep(config.bot.shardSpawnDelayMs);
  }
}

/** SIGTERM to every shard process (each then stops as `npm start` does), and no respawn; resolves when all exited. */
async function stopShards(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  await Promise.all([...manager.shards.values()].map((shard) => stopShard(shard)));
}

function stopShard(shard: Shard): Promise<void> {
  const child = shard.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** SHARDS=auto: Discord's recommended count, from `GET /gateway/bot` at DISCORD_API_URL (discord.js's own helper always asks discord.com). */
async function recommendedShardCount(config: AppConfig, token: string): Promise<number> {
  const rest = new REST(config.bot.discordApiUrl ? { api: config.bot.discordApiUrl } : {}).setToken(token);
  try {
    const { shards } = (await rest.get(Routes.gatewayBot())) as { shards: number };
    return shards;
  } catch (error) {
    if ((error as { status?: number }).status === 401) throw createError('DISCORD_TOKEN_REJECTED');
    throw createError('DISCORD_UNREACHABLE', describeError(error)).causedBy(error);
  }
}

// No process.exit(): once every shard has exited and the metrics server is closed, the process ends.
process.exitCode = await main();
