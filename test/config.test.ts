import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { isAppError } from '../src/errors.ts';
import { DEFAULT_VECTOR_INDEX } from '../src/store/pgvector-settings.ts';

const parse = (env: Record<string, string>) => parseConfig(env, '/srv/bot');

describe('parseConfig', () => {
  it('defaults to the measured settings and resolves folders under the data folder', () => {
    const { engine } = parse({});
    expect(engine.indexDir).toBe('/srv/bot/index-data/index');
    expect(engine.embeddingBatchSize).toBe(1);
    expect(engine.embeddingThreads).toBe(Math.min(4, os.availableParallelism()));
    expect(engine.embeddingWorkers).toBe(Math.min(4, os.availableParallelism()));
    expect([engine.hnswM, engine.hnswEfConstruction, engine.hnswEfSearch]).toEqual([24, 200, 100]);
  });

  it('keeps the index in files unless STORE=postgres, which needs a postgres:// DATABASE_URL (its password never echoed)', () => {
    expect(parse({}).engine.store).toEqual({ kind: 'file' });
    expect(parse({ STORE: 'postgres', DATABASE_URL: 'postgres://bot:secret@db:5432/docqa' }).engine.store).toEqual({
      kind: 'postgres',
      url: 'postgres://bot:secret@db:5432/docqa',
      poolSize: 10,
      statementTimeoutMs: 30_000,
      search: 'sql',
      vectorIndex: DEFAULT_VECTOR_INDEX,
    });
    expect(parse({ STORE: 'postgres', DATABASE_URL: 'postgres://db/docqa', DATABASE_HNSW_M: '24', DATABASE_BUILD_MEMORY_MB: '256' }).engine.store).toMatchObject({
      vectorIndex: { ...DEFAULT_VECTOR_INDEX, m: 24, buildMemoryMb: 256 },
    });
    expect(() => parse({ STORE: 'postgres', DATABASE_URL: 'postgres://db/docqa', DATABASE_HNSW_M: '1' })).toThrow(/DATABASE_HNSW_M/);
    expect(parse({ STORE: 'postgres', DATABASE_URL: 'postgres://db/docqa', POSTGRES_SEARCH: 'memory' }).engine.store).toMatchObject({ search: 'memory' });
    expect(() => parse({ STORE: 'postgres', DATABASE_URL: 'postgres://db/docqa', POSTGRES_SEARCH: 'both' })).toThrow(/POSTGRES_SEARCH/);
    expect(() => parse({ STORE: 'postgres' })).toThrow(/DATABASE_URL must be a postgres:\/\/ connection string/);
    expect(() => parse({ STORE: 'postgres', DATABASE_URL: 'mysql://bot:secret@db/docqa' })).toThrow(/mysql:\/\/bot:\*\*\*@db/);
    expect(() => parse({ STORE: 'sqlite' })).toThrow(/STORE/);
  });

  it('keeps the knowledge store under the data folder and question text 90 days unless told', () => {
    expect(parse({}).knowledge).toEqual({ databaseFile: '/srv/bot/index-data/knowledge.db', questionLogDays: 90 });
    expect(parse({ DATA_DIR: '/data', QUESTION_LOG_DAYS: '0' }).knowledge).toEqual({ databaseFile: '/data/knowledge.db', questionLogDays: 0 });
    expect(() => parse({ QUESTION_LOG_DAYS: '-1' })).toThrow(/QUESTION_LOG_DAYS must be/);
  });

  it('asks for the Message Content intent when QA_CHANNEL_IDS is set or MESSAGE_CONTENT_INTENT says so', () => {
    expect(parse({}).bot.messageContentIntent).toBe(false);
    expect(parse({ QA_CHANNEL_IDS: '1,2' }).bot.messageContentIntent).toBe(true);
    expect(parse({ MESSAGE_CONTENT_INTENT: 'true' }).bot.messageContentIntent).toBe(true);
    expect(parse({ QA_CHANNEL_IDS: '1', MESSAGE_CONTENT_INTENT: 'false' }).bot.messageContentIntent).toBe(false);
  });

  it('takes an empty value as "use the default", as .env.example leaves some', () => {
    expect(parse({ EMBEDDING_THREADS: '' }).engine.embeddingThreads).toBe(parse({}).engine.embeddingThreads);
    expect(parse({ EMBEDDING_THREADS: ' 3 ' }).engine.embeddingThreads).toBe(3);
  });

  it('names the variable and the accepted range when a value is wrong', () => {
    for (const [name, value] of [['EMBEDDING_THREADS', '0'], ['EMBEDDING_THREADS', '1.5'], ['HNSW_M', 'many']]) {
      let caught: unknown;
      try {
        parse({ [name!]: value! });
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught, 'CONFIG_INVALID')).toBe(true);
      expect((caught as Error).message).toContain(`${name} must be`);
      expect((caught as Error).message).toContain(`"${value}"`);
    }
  });
});

describe('sharding and metrics settings', () => {
  it('runs one shard and no metrics server by default', () => {
    expect(parse({}).bot.sharding).toEqual({ shardCount: undefined, shardIds: undefined, managed: false });
    expect(parse({}).bot.metrics).toEqual({ port: undefined, host: '127.0.0.1' });
  });

  it('reads SHARDS (auto or a count), and SHARD_IDS as ids and ranges of SHARD_COUNT', () => {
    expect(parse({ SHARDS: 'auto' }).bot.sharding.shardCount).toBe('auto');
    expect(parse({ SHARDS: '4' }).bot.sharding.shardCount).toBe(4);
    expect(parse({ SHARD_COUNT: '16', SHARD_IDS: '4-7, 12' }).bot.sharding).toEqual({ shardCount: 16, shardIds: [4, 5, 6, 7, 12], managed: false });
    expect(parse({ METRICS_PORT: '9464' }).bot.metrics.port).toBe(9464);
  });

  it('in a shard spawned by the launcher, SHARDS is the shard\'s own id (set by discord.js), whatever SHARD_IDS says', () => {
    expect(parse({ SHARDING_MANAGER: 'true', SHARDS: '5', SHARD_COUNT: '8', SHARD_IDS: '4-7' }).bot.sharding).toEqual({ shardCount: 8, shardIds: [5], managed: true });
  });

  it('refuses SHARD_IDS without a total, or past it, naming the variable', () => {
    expect(() => parse({ SHARD_IDS: '0-1' })).toThrow(/SHARD_COUNT must be set to the total number of shards when SHARD_IDS is set/);
    expect(() => parse({ SHARD_COUNT: '4', SHARD_IDS: '2-4' })).toThrow(/SHARD_IDS must be shard ids or ranges from 0 to 3/);
    expect(() => parse({ SHARD_COUNT: '4', SHARD_IDS: 'two' })).toThrow(/SHARD_IDS must be/);
    expect(() => parse({ SHARDS: 'many' })).toThrow(/SHARDS must be/);
  });
});
