import { Client, DiscordjsErrorCodes, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { AppConfig, ShardingConfig } from '../config.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineHost } from '../engine/host/engine-host.ts';
import { inProcessKnowledge, type KnowledgeService } from '../engine/knowledge-base.ts';
import { createError, describeError } from '../errors.ts';
import type { KnowledgeLog } from '../knowledge/knowledge-log.ts';
import { openKnowledgeLog } from '../knowledge/open-knowledge-log.ts';
import { KnowledgeDatabase } from '../knowledge/database.ts';
import { SqliteServerSettings, type ServerSettingsStore } from '../knowledge/server-settings.ts';
import type { Logger } from '../logger.ts';
import { AnswerSessions } from './answer-sessions.ts';
import { loadCommands } from './command-loader.ts';
import { BotHealth } from './metrics/bot-health.ts';
import { BotMetrics } from './metrics/bot-metrics.ts';
import { serveMetrics, type MetricsServer } from './metrics/metrics-server.ts';
import { answerLauncher } from './metrics/shard-metrics.ts';
import type { AnyCommand } from './command.ts';
import type { BotContext } from './context.ts';
import { downloadAttachment } from './download.ts';
import { createInteractionRouter } from './interaction-router.ts';
import { createMessageHandler } from './message-questions.ts';
import { embedQuestionsWhenIdle } from './question-embedding.ts';
import { RateLimiter } from './rate-limiter.ts';
import { NO_MENTIONS } from './reply.ts';
import { startSyncSchedule } from './sync-schedule.ts';

export interface RunningBot {
  readonly client: Client<true>;
  /** The engine the bot answers from: in its own process unless an engine was passed in. */
  readonly knowledge: KnowledgeService;
  /** What the bot recorded (tests read it back). */
  readonly knowledgeLog: KnowledgeLog;
  /** Where `/healthz` and `/metrics` are served (METRICS_PORT), when they are. */
  readonly metricsUrl: string | undefined;
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
  /** The knowledge log; by default the SQLite store of KNOWLEDGE_DB_FILE (see openKnowledgeLog). */
  readonly knowledgeLog?: KnowledgeLog;
  /** The clock of the default knowledge log: the times it records and its retention (tests inject one). */
  readonly now?: () => number;
  /** Each server's `/settings`; by default kept in the knowledge store (KNOWLEDGE_DB_FILE). */
  readonly settings?: ServerSettingsStore;
}

/** How often question text past QUESTION_LOG_DAYS is deleted while the bot runs (also once at start). */
const PURGE_EVERY_MS = 3_600_000;

/**
 * Builds the bot: opens the engine (warming the model and building the index if there is none), loads the
 * commands, and logs in. Rejects with a one-line AppError when the token is missing or refused.
 */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const token = config.bot.discordToken;
  if (!token) throw createError('DISCORD_TOKEN_MISSING');

  // Health and metrics come up first, so a probe sees "starting" (503) while the model and the index load.
  const metrics = new BotMetrics();
  const health = new BotHealth(config.engine.searchMode);
  const exposed = await exposeMetrics(config, metrics, health);
  let knowledge: KnowledgeService;
  let commands: Map<string, AnyCommand>;
  try {
    knowledge = metrics.meter(options.engine
      ? inProcessKnowledge(options.engine)
      : await EngineHost.start({ config: config.engine, logger, module: options.engineModule }));
  } catch (error) {
    await exposed.close();
    throw error;
  }
  try {
    const built = await knowledge.ensureIndex();
    if (built) logger.info(`Index built: ${built.paragraphs} paragraphs from ${built.added} documents in ${built.seconds.toFixed(1)} s`);
    commands = await loadCommands();
  } catch (error) {
    await knowledge.close();
    await exposed.close();
    throw error;
  }
  health.engineReady(knowledge);

  let accepting = true;
  // One connection to the knowledge store for the log and the settings: one file, one "cannot be opened" line.
  const database = options.knowledgeLog && options.settings ? undefined : KnowledgeDatabase.open({ file: config.knowledge.databaseFile, logger, now: options.now });
  const questions = metrics.questionQueue(config.bot.questionQueue);
  // /unanswered's embeddings wait behind members' questions, in small jobs (question-embedding.ts).
  const embed = (texts: readonly string[]) => embedQuestionsWhenIdle(questions, knowledge, texts);
  const knowledgeLog = options.knowledgeLog ?? openKnowledgeLog({ config, logger, database, embed, now: options.now });
  const purge = setInterval(() => knowledgeLog.purgeExpired(), PURGE_EVERY_MS).unref();
  const settings = options.settings ?? new SqliteServerSettings(database!);
  const context: BotContext = {
    knowledge,
    config: config.bot,
    answers: new AnswerSessions(),
    knowledgeLog,
    rateLimiter: new RateLimiter(config.bot.rateLimitPerMinute),
    questions,
    logger,
    settings,
    download: (url, maxBytes) => downloadAttachment(url, maxBytes),
  };

  // Message Content is privileged: asked for only when QA channels need to read every message. Mentions of
  // the bot carry their content without it.
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (config.bot.messageContentIntent) intents.push(GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    allowedMentions: NO_MENTIONS,
    ...clientShards(config.bot.sharding),
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
    clearInterval(purge);
    knowledgeLog.close();
    database?.close();
    await exposed.close();
    const code = (error as { code?: string }).code;
    if (code === DiscordjsErrorCodes.TokenInvalid || /401|unauthori[sz]ed/i.test(describeError(error))) {
      throw createError('DISCORD_TOKEN_REJECTED');
    }
    throw createError('DISCORD_UNREACHABLE', describeError(error)).causedBy(error);
  }
  const readyClient = await ready;
  metrics.watchGateway(readyClient);
  health.gatewayReady(readyClient);
  const stats = await knowledge.stats();
  const shards = [...readyClient.ws.shards.keys()];
  const shardNote = shards.length === 1 && readyClient.options.shardCount === 1 ? '' : `; shards ${shards.join(',')} of ${readyClient.options.shardCount}`;
  logger.info(`Logged in as ${readyClient.user.tag}; ${commands.size} commands; mode ${stats.mode}; ${stats.paragraphs} paragraphs indexed${shardNote}${exposed.url ? `; health and metrics on ${exposed.url}` : ''}`);

  const schedule = startSyncSchedule({ knowledge, intervalHours: config.bot.syncIntervalHours, logger });

  return {
    client: readyClient,
    knowledge,
    knowledgeLog,
    metricsUrl: exposed.url,
    async stop() {
      accepting = false;
      health.shuttingDown();
      schedule.stop();
      await knowledge.close();
      await client.destroy();
      clearInterval(purge);
      knowledgeLog.close();
      database?.close();
      await exposed.close();
    },
  };
}

/**
 * The gateway shards this process runs, always given explicitly: discord.js would otherwise read SHARDS and
 * SHARD_COUNT from the environment itself, where SHARDS may be the launcher's setting ("auto", a count).
 */
function clientShards(sharding: ShardingConfig): Pick<ClientOptions, 'shards' | 'shardCount'> {
  const { shardCount, shardIds } = sharding;
  if (shardCount === 'auto') return { shards: 'auto' };
  const count = shardCount ?? 1;
  return { shards: shardIds ? [...shardIds] : Array.from({ length: count }, (_, id) => id), shardCount: count };
}

/**
 * METRICS_PORT: served here by a process on its own; a shard of the launcher answers the launcher instead, which
 * serves the machine's shards on one port.
 */
async function exposeMetrics(config: AppConfig, metrics: BotMetrics, health: BotHealth): Promise<{ url: string | undefined; close(): Promise<void> }> {
  if (config.bot.sharding.managed) {
    const stop = answerLauncher({ registry: metrics.registry, health: () => health.check() });
    return { url: undefined, close: async () => stop() };
  }
  const { port, host } = config.bot.metrics;
  if (port === undefined) return { url: undefined, close: async () => undefined };
  const server: MetricsServer = await serveMetrics(
    { metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }), health: () => health.check() },
    { port, host },
  );
  return server;
}
