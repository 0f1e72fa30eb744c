import os from 'node:os';
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import type { FolderLink } from './engine/document-links.ts';
import { SITE_LAYOUTS } from './engine/site-layout.ts';
import { createError } from './errors.ts';
import { absoluteHttpUrl } from './ingest/document-url.ts';
import type { LogLevel } from './logger.ts';
import { DEFAULT_HYBRID_DENSE_WEIGHT_CJK, type SearchMode } from './search/search-mode.ts';
import { DEFAULT_VECTOR_INDEX, type PgVectorIndexSettings } from './store/pgvector-settings.ts';

/** Settings of the retrieval engine: everything it needs, nothing about Discord. */
export interface EngineConfig {
  /** Root of everything the engine reads and writes (documents, index, models). */
  readonly dataDir: string;
  /** Documents shared by every server. */
  readonly docsDir: string;
  /**
   * Folders whose documents are published under a base URL, for links in citations (DOCS_BASE_URL gives the one
   * of `docsDir`; synced sources add theirs). A document's own front matter or canonical URL wins over these.
   */
  readonly folderLinks: readonly FolderLink[];
  /** Where embedding models are downloaded to and loaded from. */
  readonly modelsDir: string;
  /** Where the index generations and the manifest live. */
  readonly indexDir: string;
  /** How often (ms) to check the index folder for a generation committed by another process; 0 = only before a reindex. */
  readonly indexWatchMs: number;
  /** Where index generations are kept: files in {@link indexDir} (STORE=file, the default) or PostgreSQL. */
  readonly store: StoreConfig;
  readonly embeddingModel: string;
  readonly embeddingQuantized: boolean;
  readonly embeddingMaxTokens: number;
  readonly embeddingBatchSize: number;
  /** onnxruntime intra-op threads per model run (default: one per core, at most 4). */
  readonly embeddingThreads: number;
  /** Processes that embed passages side by side while indexing; 1 = none (default: one per core, at most 4). */
  readonly embeddingWorkers: number;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  readonly allowModelDownload: boolean;
  readonly searchMode: SearchMode;
  readonly topK: number;
  /** Minimum score for a passage to be quoted; undefined = the tuned default of the mode in use. */
  readonly minScore: number | undefined;
  /**
   * Weight of the top passage's margin over the next distinct passage in the "no confident match" decision
   * (MIN_SCORE_GAP_WEIGHT, 0–1); undefined = the tuned default of the mode and script.
   */
  readonly minScoreGapWeight: number | undefined;
  /**
   * Weight of the top passage's sentence coverage in the same decision (MIN_SCORE_COVERAGE_WEIGHT, 0–1);
   * undefined = the tuned default of the mode and script.
   */
  readonly minScoreCoverageWeight: number | undefined;
  /**
   * Weight of the top passage's character coverage (the share of a Chinese question's characters one sentence
   * holds) in the same decision (MIN_SCORE_CHARACTER_WEIGHT, 0–1); undefined = the tuned default of the mode and script.
   */
  readonly minScoreCharacterWeight: number | undefined;
  /** Weight of the dense similarity in the hybrid score (the rest is the keyword score). */
  readonly hybridDenseWeight: number;
  /**
   * The same for questions mostly in Chinese, Japanese or Korean characters. Default 0: the default model,
   * all-MiniLM-L6-v2, is English-only, and its cosine lowered Chinese Recall@1 at every weight measured above 0.05
   * (docs/evaluation.md). Raise it with a multilingual model.
   */
  readonly hybridDenseWeightCjk: number;
  readonly hnswM: number;
  readonly hnswEfConstruction: number;
  readonly hnswEfSearch: number;
  readonly maxDocumentBytes: number;
  /** Longest one document may take to split into paragraphs (in a child process) before it is skipped. */
  readonly parseTimeLimitMs: number;
  /** Most heap the splitting worker may use for one document before the document is skipped. */
  readonly parseMemoryLimitMb: number;
  readonly maxQuestionChars: number;
  /** Settings of the sources that sync (web pages, sites, git repositories). */
  readonly sources: SourceConfig;
}

/** How sources are fetched, and how far they may reach. */
export interface SourceConfig {
  /** ALLOW_PRIVATE_SOURCES: let sources reach loopback, private and link-local addresses (never metadata ones). */
  readonly allowPrivate: boolean;
  /** MAX_SOURCE_PAGES: pages or files one source may hold. */
  readonly maxPages: number;
  /** SOURCE_MAX_DEPTH: links followed from the start page of a site without a sitemap. */
  readonly maxDepth: number;
  /** SOURCE_MAX_PAGE_BYTES: largest page or file fetched. */
  readonly maxPageBytes: number;
  /** SOURCE_MAX_REPOSITORY_BYTES: most a git source's clone and the documents copied from it may take together. */
  readonly maxRepositoryBytes: number;
  /** SOURCE_TIMEOUT_MS: longest one request (or git command) may take. */
  readonly timeoutMs: number;
  /** SOURCE_REQUEST_INTERVAL_MS: least time between two requests to one host. */
  readonly requestIntervalMs: number;
}

export type StoreConfig =
  | { readonly kind: 'file' }
  | {
      readonly kind: 'postgres';
      /** DATABASE_URL: postgres://user:password@host:port/database. */
      readonly url: string;
      readonly poolSize: number;
      readonly statementTimeoutMs: number;
      /**
       * POSTGRES_SEARCH: `sql` (default) searches vectors in PostgreSQL and keeps in memory only the knowledge
       * bases a process answers for; `memory` loads whole generations into each process, as the file store does.
       */
      readonly search: 'sql' | 'memory';
      readonly vectorIndex: PgVectorIndexSettings;
    };

/** Admission control of questions: when to defer, when to answer "busy" (see src/bot/question-queue.ts). */
export interface QueueBounds {
  /** A question expected to wait longer than this is deferred at once instead of answered directly. */
  readonly deferAfterMs: number;
  /** A question expected to wait longer than this is refused with a "busy, try again in N s" reply. */
  readonly shedAfterMs: number;
  /** Questions waiting (all servers together) past which every new one is refused. */
  readonly maxQueued: number;
  /** Questions handed to the engine at once: 2 keeps it busy while a finished answer travels back. */
  readonly concurrency: number;
}

/**
 * Which gateway shards this process (or, for `npm run start:sharded`, this machine) runs. Discord routes each
 * server's events to shard `(server id >> 22) % shard count`.
 * @see https://discord.com/developers/docs/events/gateway#sharding
 */
export interface ShardingConfig {
  /** Total shards of the bot across every machine (SHARD_COUNT, else SHARDS); 'auto' = Discord's recommendation; undefined = unset. */
  readonly shardCount: number | 'auto' | undefined;
  /** The shards run here (SHARD_IDS); undefined = all of them. */
  readonly shardIds: readonly number[] | undefined;
  /**
   * This process is one shard spawned by the launcher (discord.js's ShardingManager sets SHARDING_MANAGER, SHARDS
   * to the shard's id and SHARD_COUNT in its children): the launcher serves the metrics for it.
   */
  readonly managed: boolean;
}

/** `/healthz` and Prometheus `/metrics`: off unless METRICS_PORT is set. */
export interface MetricsConfig {
  /** undefined = off; 0 = any free port (tests). */
  readonly port: number | undefined;
  readonly host: string;
}

/** Settings of the Discord bot. */
export interface BotConfig {
  readonly discordToken: string | undefined;
  readonly discordApiUrl: string | undefined;
  readonly guildId: string | undefined;
  readonly qaChannelIds: readonly string[];
  readonly answerInThread: boolean;
  /**
   * Whether the bot asks for the privileged Message Content intent (MESSAGE_CONTENT_INTENT; default: when
   * QA_CHANNEL_IDS is set): needed for Q&A channels, including those a server adds with `/settings`.
   */
  readonly messageContentIntent: boolean;
  readonly adminRoleIds: readonly string[];
  readonly rateLimitPerMinute: number;
  readonly maxUploadBytes: number;
  /** Admission control of questions (see QuestionQueue). */
  readonly questionQueue: QueueBounds;
  readonly sharding: ShardingConfig;
  /** `npm run start:sharded`: pause between starting two shards (Discord accepts one IDENTIFY per 5 s per bucket). */
  readonly shardSpawnDelayMs: number;
  /** `npm run start:sharded`: how long one shard may take to be ready (model, index, login) before the start fails. */
  readonly shardReadyTimeoutMs: number;
  readonly metrics: MetricsConfig;
  /** SYNC_INTERVAL_HOURS: how often the bot re-syncs every source; 0 = only on demand. */
  readonly syncIntervalHours: number;
}

/** Settings of the knowledge store (src/knowledge/): what the bot records of questions, answers and votes. */
export interface KnowledgeConfig {
  /** The SQLite file (KNOWLEDGE_DB_FILE, default DATA_DIR/knowledge.db). */
  readonly databaseFile: string;
  /** Days a question's text is kept (QUESTION_LOG_DAYS); 0 = never stored, only counted. */
  readonly questionLogDays: number;
}

export interface AppConfig {
  readonly engine: EngineConfig;
  readonly bot: BotConfig;
  readonly knowledge: KnowledgeConfig;
  readonly logLevel: LogLevel;
  /** DEBUG set to anything: the CLI prints the stack of an unexpected error (never of a coded one). */
  readonly debug: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads `.env` (if present) into the environment once, then validates every setting. A bad value fails at once
 * with the variable's name. This is the only place that reads `process.env`.
 */
export function loadConfig(options: { env?: Env; cwd?: string; dotenv?: boolean } = {}): AppConfig {
  const cwd = options.cwd ?? process.cwd();
  if (options.dotenv !== false && options.env === undefined) {
    loadDotenv({ path: path.join(cwd, '.env'), quiet: true });
  }
  return parseConfig(options.env ?? process.env, cwd);
}

/** Turns raw variables into a frozen, typed configuration. Exported for tests. */
export function parseConfig(env: Env, cwd: string): AppConfig {
  const read = reader(env);
  const dataDir = path.resolve(cwd, read.string('DATA_DIR', 'index-data'));
  const inData = (name: string, fallback: string) => path.resolve(cwd, read.string(name, path.join(dataDir, fallback)));

  const docsDir = inData('DOCS_DIR', 'docs');
  const docsBaseUrl = read.httpUrl('DOCS_BASE_URL');
  const docsSite = read.choice('DOCS_SITE', SITE_LAYOUTS, 'files');
  const engine: EngineConfig = {
    dataDir,
    docsDir,
    folderLinks: docsBaseUrl === undefined ? [] : [{ folder: docsDir, baseUrl: docsBaseUrl, layout: docsSite }],
    modelsDir: inData('MODELS_DIR', 'models'),
    indexDir: inData('INDEX_DIR', 'index'),
    // A stat of manifest.json: next to nothing. fs.watch usually reports a commit sooner.
    indexWatchMs: read.integer('INDEX_WATCH_MS', 2000, 0, 3_600_000),
    store: readStore(read),
    embeddingModel: read.string('EMBEDDING_MODEL', 'Xenova/all-MiniLM-L6-v2'),
    embeddingQuantized: read.boolean('EMBEDDING_QUANTIZED', true),
    embeddingMaxTokens: read.integer('EMBEDDING_MAX_TOKENS', 256, 16, 8192),
    embeddingBatchSize: read.integer('EMBEDDING_BATCH_SIZE', 1, 1, 512),
    // Small inputs gain little past a few threads; 2 measured faster than 1 on 2 cores (docs/benchmarks.md).
    embeddingThreads: read.integer('EMBEDDING_THREADS', Math.min(4, os.availableParallelism()), 1, 64),
    // On 2 cores, two single-threaded processes measured 102–127 paragraphs/s, one two-threaded session 61–96.
    embeddingWorkers: read.integer('EMBEDDING_WORKERS', Math.min(4, os.availableParallelism()), 1, 64),
    queryPrefix: read.string('QUERY_PREFIX', ''),
    passagePrefix: read.string('PASSAGE_PREFIX', ''),
    allowModelDownload: read.boolean('ALLOW_MODEL_DOWNLOAD', true),
    searchMode: read.choice('SEARCH_MODE', ['hybrid', 'dense', 'keyword'] as const, 'hybrid'),
    topK: read.integer('TOP_K', 3, 1, 20),
    minScore: read.optionalNumber('MIN_SCORE', 0, 1),
    minScoreGapWeight: read.optionalNumber('MIN_SCORE_GAP_WEIGHT', 0, 1),
    minScoreCoverageWeight: read.optionalNumber('MIN_SCORE_COVERAGE_WEIGHT', 0, 1),
    minScoreCharacterWeight: read.optionalNumber('MIN_SCORE_CHARACTER_WEIGHT', 0, 1),
    hybridDenseWeight: read.number('HYBRID_DENSE_WEIGHT', 0.4, 0, 1),
    hybridDenseWeightCjk: read.number('HYBRID_DENSE_WEIGHT_CJK', DEFAULT_HYBRID_DENSE_WEIGHT_CJK, 0, 1),
    hnswM: read.integer('HNSW_M', 24, 4, 128),
    hnswEfConstruction: read.integer('HNSW_EF_CONSTRUCTION', 200, 10, 2000),
    hnswEfSearch: read.integer('HNSW_EF_SEARCH', 100, 10, 5000),
    maxDocumentBytes: read.integer('MAX_DOCUMENT_BYTES', 20 * 1024 * 1024, 1024, 1024 ** 3),
    // Ordinary documents split at well under 2 s per MB; the hostile ones of issue 15 took 11-85 s before the
    // parsers were made linear. 20 s and 512 MiB leave a 20 MiB document room and stop a runaway well before RAM.
    parseTimeLimitMs: read.integer('PARSE_TIME_LIMIT_MS', 20_000, 100, 3_600_000),
    parseMemoryLimitMb: read.integer('PARSE_MEMORY_LIMIT_MB', 512, 64, 65_536),
    maxQuestionChars: read.integer('MAX_QUESTION_CHARS', 1000, 10, 100_000),
    sources: {
      allowPrivate: read.boolean('ALLOW_PRIVATE_SOURCES', false),
      maxPages: read.integer('MAX_SOURCE_PAGES', 500, 1, 100_000),
      maxDepth: read.integer('SOURCE_MAX_DEPTH', 3, 0, 20),
      maxPageBytes: read.integer('SOURCE_MAX_PAGE_BYTES', 5 * 1024 * 1024, 1024, 1024 ** 3),
      // The order of a site's worst case (MAX_SOURCE_PAGES pages of a few hundred KB); a shallow clone of a docs
      // repository, large blobs filtered out, is a few MB.
      maxRepositoryBytes: read.integer('SOURCE_MAX_REPOSITORY_BYTES', 100 * 1024 * 1024, 64 * 1024, 1024 ** 4),
      timeoutMs: read.integer('SOURCE_TIMEOUT_MS', 15_000, 100, 600_000),
      // Two requests a second to one host: polite for a documentation site, 100 s for a 200-page first sync.
      requestIntervalMs: read.integer('SOURCE_REQUEST_INTERVAL_MS', 500, 0, 60_000),
    },
  };
  const bot: BotConfig = {
    discordToken: read.optionalString('DISCORD_TOKEN'),
    discordApiUrl: read.optionalString('DISCORD_API_URL'),
    guildId: read.optionalString('GUILD_ID'),
    qaChannelIds: read.list('QA_CHANNEL_IDS'),
    answerInThread: read.boolean('ANSWER_IN_THREAD', false),
    messageContentIntent: read.boolean('MESSAGE_CONTENT_INTENT', read.list('QA_CHANNEL_IDS').length > 0),
    adminRoleIds: read.list('ADMIN_ROLE_IDS'),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 10, 0, 10_000),
    maxUploadBytes: read.integer('MAX_UPLOAD_BYTES', 2 * 1024 * 1024, 1, 100 * 1024 * 1024),
    questionQueue: {
      // A direct reply is a callback; a deferral's answer is an edit, which discord.js sends at most 50 a second.
      // Under overload every admitted question waits about the shedding bound, so a deferral bound below it would
      // defer nearly all of them and answers would crawl at 50/s (measured: 32-47 answered/s). Equal bounds: answer
      // directly or say busy; deferral is for slow answers (the reply timer) and for QUESTION_SHED_AFTER_MS above it.
      deferAfterMs: read.integer('QUESTION_DEFER_AFTER_MS', 2000, 0, 2000),
      // Past this expected wait the member is told "busy, try again in N s" at once (see docs/benchmarks.md).
      shedAfterMs: read.integer('QUESTION_SHED_AFTER_MS', 2000, 0, 600_000),
      maxQueued: read.integer('QUESTION_QUEUE_LIMIT', 2000, 1, 1_000_000),
      concurrency: 2,
    },
    sharding: readSharding(env, read),
    shardSpawnDelayMs: read.integer('SHARD_SPAWN_DELAY_MS', 5500, 0, 600_000),
    // The first shard may build the index from scratch: minutes for a large corpus.
    shardReadyTimeoutMs: read.integer('SHARD_READY_TIMEOUT_MS', 600_000, 1000, 86_400_000),
    metrics: {
      port: read.optionalInteger('METRICS_PORT', 0, 65_535),
      // Loopback unless asked: the metrics name servers' activity. Set 0.0.0.0 for a Prometheus on another host.
      host: read.string('METRICS_HOST', '127.0.0.1'),
    },
    syncIntervalHours: read.number('SYNC_INTERVAL_HOURS', 24, 0, 8760),
  };
  const knowledge: KnowledgeConfig = {
    databaseFile: inData('KNOWLEDGE_DB_FILE', 'knowledge.db'),
    questionLogDays: read.integer('QUESTION_LOG_DAYS', 90, 0, 36_500),
  };
  const logLevel = read.choice('LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info');
  const debug = read.optionalString('DEBUG') !== undefined;
  return deepFreeze({ engine, bot, knowledge, logLevel, debug });
}

function readStore(read: ReturnType<typeof reader>): StoreConfig {
  const kind = read.choice('STORE', ['file', 'postgres'] as const, 'file');
  if (kind === 'file') return { kind };
  const url = read.optionalString('DATABASE_URL');
  if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) {
    throw createError('CONFIG_INVALID', 'DATABASE_URL', 'a postgres:// connection string when STORE=postgres', url === undefined ? '' : url.replace(/:[^:@/]*@/, ':***@'));
  }
  return {
    kind,
    url,
    poolSize: read.integer('DATABASE_POOL_SIZE', 10, 1, 1000),
    statementTimeoutMs: read.integer('DATABASE_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    search: read.choice('POSTGRES_SEARCH', ['sql', 'memory'] as const, 'sql'),
    vectorIndex: {
      m: read.integer('DATABASE_HNSW_M', DEFAULT_VECTOR_INDEX.m, 2, 100),
      efConstruction: read.integer('DATABASE_HNSW_EF_CONSTRUCTION', DEFAULT_VECTOR_INDEX.efConstruction, 4, 1000),
      efSearch: read.integer('DATABASE_HNSW_EF_SEARCH', DEFAULT_VECTOR_INDEX.efSearch, 1, 1000),
      buildMemoryMb: read.integer('DATABASE_BUILD_MEMORY_MB', DEFAULT_VECTOR_INDEX.buildMemoryMb, 1, 1_048_576),
    },
  };
}

type Reader = ReturnType<typeof reader>;

function readSharding(env: Env, read: Reader): ShardingConfig {
  // A shard spawned by discord.js's ShardingManager: its SHARDS is the shard's own id, set by discord.js.
  if (read.optionalString('SHARDING_MANAGER') !== undefined) {
    const shardCount = read.integer('SHARD_COUNT', 1, 1, 1_000_000);
    return { shardCount, shardIds: [read.integer('SHARDS', 0, 0, shardCount - 1)], managed: true };
  }
  const total = read.optionalString('SHARD_COUNT') !== undefined ? 'SHARD_COUNT' : 'SHARDS';
  const shardCount = read.optionalString(total)?.toLowerCase() === 'auto' ? 'auto' : read.optionalInteger(total, 1, 1_000_000);
  const ids = read.optionalString('SHARD_IDS');
  if (ids === undefined) return { shardCount, shardIds: undefined, managed: false };
  if (typeof shardCount !== 'number') throw createError('CONFIG_INVALID', 'SHARD_COUNT', 'set to the total number of shards when SHARD_IDS is set', env.SHARD_COUNT ?? '');
  const shardIds = parseShardIds(ids, shardCount);
  if (!shardIds) throw createError('CONFIG_INVALID', 'SHARD_IDS', `shard ids or ranges from 0 to ${shardCount - 1}, e.g. 0-3,8`, ids);
  return { shardCount, shardIds, managed: false };
}

/** "0-3,8" → [0, 1, 2, 3, 8]; null when an item is not an id or a range below `count`. */
function parseShardIds(text: string, count: number): number[] | null {
  const ids = new Set<number>();
  for (const item of text.split(',').map((part) => part.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!match) return null;
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from > to || to >= count) return null;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

function reader(env: Env) {
  const raw = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = (name: string, expected: string, value: string) =>
    createError('CONFIG_INVALID', name, expected, value);
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw fail(name, `a number from ${min} to ${max}`, value);
    return parsed;
  };
  return {
    string: (name: string, fallback: string) => raw(name) ?? fallback,
    optionalString: raw,
    number,
    optionalNumber: (name: string, min: number, max: number) =>
      raw(name) === undefined ? undefined : number(name, 0, min, max),
    optionalInteger(name: string, min: number, max: number): number | undefined {
      return raw(name) === undefined ? undefined : this.integer(name, min, min, max);
    },
    integer(name: string, fallback: number, min: number, max: number): number {
      const parsed = number(name, fallback, min, max);
      if (!Number.isInteger(parsed)) throw fail(name, 'a whole number', String(raw(name)));
      return parsed;
    },
    boolean(name: string, fallback: boolean): boolean {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      throw fail(name, 'true or false', value);
    },
    choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === undefined) return fallback;
      if (!(choices as readonly string[]).includes(value)) throw fail(name, `one of ${choices.join(', ')}`, value);
      return value as T;
    },
    /** An absolute http(s) URL, e.g. `https://github.com/org/repo/blob/main/docs/`. */
    httpUrl(name: string): string | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      const url = absoluteHttpUrl(value);
      if (url === undefined) throw fail(name, 'an absolute http(s) URL such as https://github.com/org/repo/blob/main/docs/', value);
      return url;
    },
    list: (name: string): string[] =>
      (raw(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== ''),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
