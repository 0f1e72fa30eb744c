import path from 'node:path';
import { Client, DiscordjsErrorCodes, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { AppConfig } from '../config.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineHost } from '../engine/host/engine-host.ts';
import { inProcessKnowledge, type KnowledgeService } from '../engine/knowledge-base.ts';
import { createError, describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { AnswerSessions } from './answer-sessions.ts';
import { loadCommands } from './command-loader.ts';
import type { Command } from './command.ts';
import type { BotContext } from './context.ts';
import { downloadAttachment } from './download.ts';
import { FeedbackLog } from './feedback-log.ts';
import { createInteractionRouter } from './interaction-router.ts';
import { createMessageHandler } from './message-questions.ts';
import { QuestionQueue } from './question-queue.ts';
import { RateLimiter } from './rate-limiter.ts';
import { NO_MENTIONS } from './reply.ts';
import { startSyncSchedule } from './sync-schedule.ts';

export interface RunningBot {
  readonly client: Client<true>;
  /** The engine the bot answers from: in its own process unless an engine was passed in. */
  readonly knowledge: KnowledgeService;
  /** Stops taking work, lets a running index write finish, and disconnects. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
  /**
   * An engine already opened in this process (tests share one); by default the engine runs in its own process
   * (EngineHost), opened from the configuration.
   */
  readonly engine?: Engine;
  /** For the default engine process: the module that opens its knowledge service (tests inject a CPU-bound one). */
  readonly engineModule?: string;
  /** Extra discord.js options (tests lower timeouts). */
  readonly clientOptions?: Partial<ClientOptions>;
}

/**
 * Builds the bot: opens the engine (warming the model and building the index if there is none), loads the
 * commands, and logs in. Rejects with a one-line AppError when the token is missing or refused.
 */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const token = config.bot.discordToken;
  if (!token) throw createError('DISCORD_TOKEN_MISSING');

  const knowledge = options.engine
    ? inProcessKnowledge(options.engine)
    : await EngineHost.start({ config: config.engine, logger, module: options.engineModule });
  let commands: Map<string, Command>;
  try {
    const built = await knowledge.ensureIndex();
    if (built) logger.info(`Index built: ${built.paragraphs} paragraphs from ${built.added} documents in ${built.seconds.toFixed(1)} s`);
    commands = await loadCommands();
  } catch (error) {
    await knowledge.close();
    throw error;
  }

  let accepting = true;
  const context: BotContext = {
    knowledge,
    config: config.bot,
    answers: new AnswerSessions(),
    feedback: new FeedbackLog(path.join(config.engine.dataDir, 'feedback.jsonl')),
    rateLimiter: new RateLimiter(config.bot.rateLimitPerMinute),
    questions: new QuestionQueue(config.bot.questionQueue),
    logger,
    download: (url, maxBytes) => downloadAttachment(url, maxBytes),
  };

  // Message Content is privileged: asked for only when QA channels need to read every message. Mentions of
  // the bot carry their content without it.
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (config.bot.qaChannelIds.length > 0) intents.push(GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    allowedMentions: NO_MENTIONS,
    ...options.clientOptions,
    rest: { ...(config.bot.discordApiUrl ? { api: config.bot.discordApiUrl } : {}), ...options.clientOptions?.rest },
  });

  const route = createInteractionRouter(commands, context, () => accepting);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.MessageCreate, createMessageHandler(context, () => client.user?.id, () => accepting));
  client.on(Events.Error, (error) => logger.error(`Discord client error: ${describeError(error)}`));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(token);
  } catch (error) {
    await client.destroy();
    await knowledge.close();
    const code = (error as { code?: string }).code;
    if (code === DiscordjsErrorCodes.TokenInvalid || /401|unauthori[sz]ed/i.test(describeError(error))) {
      throw createError('DISCORD_TOKEN_REJECTED');
    }
    throw createError('DISCORD_UNREACHABLE', describeError(error)).causedBy(error);
  }
  const readyClient = await ready;
  const stats = await knowledge.stats();
  logger.info(`Logged in as ${readyClient.user.tag}; ${commands.size} commands; mode ${stats.mode}; ${stats.paragraphs} paragraphs indexed`);

  const schedule = startSyncSchedule({ knowledge, intervalHours: config.bot.syncIntervalHours, logger });

  return {
    client: readyClient,
    knowledge,
    async stop() {
      accepting = false;
      schedule.stop();
      await knowledge.close();
      await client.destroy();
    },
  };
}
