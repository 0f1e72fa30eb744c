import { loadConfig } from '../config.ts';
import { describeError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { startBot } from './start-bot.ts';

/** `npm start`: runs the bot until SIGINT/SIGTERM. Any start-up failure is one line and exit code 1. */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`Error: ${describeError(error)}\n`);
    return 1;
  }
  const logger = createLogger({ level: config.logLevel, secrets: config.bot.discordToken ? [config.bot.discordToken] : [] });
  // Listen before starting, so a signal during start-up (index build, login) still shuts down cleanly.
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let bot;
  try {
    bot = await startBot({ config, logger });
  } catch (error) {
    logger.error(describeError(error));
    return 1;
  }
  const signal = await stopSignal;
  logger.info(`${signal}: finishing current work and disconnecting`);
  await bot.stop();
  logger.info('Stopped.');
  // A shard of the launcher: discord.js listens on the channel to the launcher, which would keep this process alive.
  if (config.bot.sharding.managed) process.disconnect?.();
  return 0;
}

// No process.exit(): the engine process and the embedding workers are closed by bot.stop(), so the process ends.
process.exitCode = await main();
