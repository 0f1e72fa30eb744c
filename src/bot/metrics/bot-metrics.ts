import { Status, type Client } from 'discord.js';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueBounds } from '../../config.ts';
import type { KnowledgeService } from '../../engine/knowledge-base.ts';
import type { EngineStats } from '../../engine/types.ts';
import type { ReindexReport } from '../../engine/types.ts';
import { isAppError } from '../../errors.ts';
import type { StoreHealth } from '../../store/index-store.ts';
import { QuestionQueue } from '../question-queue.ts';
import { LastKnown } from './last-known.ts';

/** What became of a question: quoted passages, "no confident match", refused before or by the engine, failed. */
export type QuestionOutcome = 'answered' | 'no_match' | 'busy' | 'rejected' | 'failed';

/** Codes of questions the engine refuses as they are written (empty, too long, no words): the asker's doing. */
const REJECTED_QUESTION = ['EMPTY_QUESTION', 'QUESTION_TOO_LONG', 'QUESTION_WITHOUT_WORDS'] as const;

/**
 * The bot's Prometheus metrics, in a registry of its own (never prom-client's global one, so two bots in one test
 * process do not share counters). Counters and histograms are moved by the wrappers below; gauges are read at
 * scrape time from what they describe. The `aggregator` of each metric says how the sharded launcher combines
 * the shards of one machine (AggregatorRegistry.aggregate): sums, except the index, which every shard holds whole.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly questions = new Counter({
    name: 'docqa_questions_total',
    help: 'Questions by outcome: answered, no_match ("no confident match"), busy (refused by admission control), rejected (empty, too long, no words), failed.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly answerSeconds = new Histogram({
    name: 'docqa_answer_seconds',
    help: 'Time from a question entering its server\'s queue to the engine\'s answer (queue wait included).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  private readonly reindexSeconds = new Histogram({
    name: 'docqa_reindex_seconds',
    help: 'Duration of index writes that finished, by operation (reindex, add_document, remove_document, add_source, sync_sources, remove_source, initial).',
    labelNames: ['operation'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1200],
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'docqa_store_errors_total',
    help: 'Index writes that failed (the previous generation stays in use), by operation.',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  /** The engine's stats and store health for the gauges; read at each scrape (the last known while the engine is busy). */
  private readStats: () => Promise<EngineStats | undefined> = async () => undefined;
  private readStoreHealth: () => Promise<StoreHealth | undefined> = async () => undefined;
  private client: Client | undefined;
  private queue: QuestionQueue | undefined;

  constructor() {
    const metrics = this;
    new Gauge({
      name: 'docqa_question_queue_depth',
      help: 'Questions waiting for the engine or being answered.',
      registers: [this.registry],
      collect() {
        this.set(metrics.queue?.depth ?? 0);
      },
    });
    new Gauge({
      name: 'docqa_paragraphs_indexed',
      help: 'Paragraphs in the index generation the engine answers from.',
      aggregator: 'max',
      registers: [this.registry],
      async collect() {
        const stats = await metrics.currentStats();
        this.set(stats?.paragraphs ?? 0);
      },
    });
    new Gauge({
      name: 'docqa_index_generation',
      help: 'Number of the index generation the engine answers from.',
      aggregator: 'max',
      registers: [this.registry],
      async collect() {
        this.set((await metrics.currentStats())?.generation ?? 0);
      },
    });
    new Gauge({
      name: 'docqa_search_mode',
      help: 'The search mode in use (1 for the mode answering: hybrid, dense or keyword; keyword when the model is unavailable).',
      labelNames: ['mode'],
      aggregator: 'max',
      registers: [this.registry],
      async collect() {
        const mode = (await metrics.currentStats())?.mode;
        for (const each of ['hybrid', 'dense', 'keyword']) this.set({ mode: each }, each === mode ? 1 : 0);
      },
    });
    new Gauge({
      name: 'docqa_store_up',
      help: 'Whether the index store answers: 0 while its database is unreachable (answers continue from memory, index writes fail).',
      // A machine's shards share one store: down if any of them cannot reach it.
      aggregator: 'min',
      registers: [this.registry],
      async collect() {
        // 0 too before the engine has ever answered: the store is not known to be up.
        this.set((await metrics.readStoreHealth())?.healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'docqa_gateway_shard_ready',
      help: 'Per gateway shard of this process: 1 when connected and ready, 0 otherwise.',
      labelNames: ['shard'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [id, shard] of metrics.client?.ws.shards ?? []) this.set({ shard: String(id) }, shard.status === Status.Ready ? 1 : 0);
      },
    });
  }

  /** A question queue that counts refusals and times each question from queueing to answer. */
  questionQueue(bounds: QueueBounds): QuestionQueue {
    const metrics = this;
    this.queue = new (class extends QuestionQueue {
      override admit(server: string) {
        try {
          return super.admit(server);
        } catch (error) {
          if (isAppError(error, 'BUSY')) metrics.questions.inc({ outcome: 'busy' });
          throw error;
        }
      }

      override run<T>(server: string, work: () => Promise<T>): Promise<T> {
        const stop = metrics.answerSeconds.startTimer();
        return super.run(server, work).finally(() => stop());
      }
    })(bounds);
    return this.queue;
  }

  /** `knowledge` with every question's outcome and every index write's duration or failure counted. */
  meter(knowledge: KnowledgeService): KnowledgeService {
    const stats = new LastKnown(() => knowledge.stats());
    const storeHealth = new LastKnown(() => knowledge.storeHealth());
    this.readStats = () => stats.read().catch(() => undefined);
    this.readStoreHealth = () => storeHealth.read().catch(() => undefined);
    const write = <T extends { report: ReindexReport } | ReindexReport | null>(operation: string, pending: Promise<T>): Promise<T> =>
      pending.then(
        (value) => {
          const report: ReindexReport | null = value && 'report' in value ? value.report : (value as ReindexReport | null);
          if (report) this.reindexSeconds.observe({ operation }, report.seconds);
          return value;
        },
        (error: unknown) => {
          if (isAppError(error, 'INDEX_WRITE_FAILED') || !isAppError(error)) this.storeErrors.inc({ operation });
          throw error;
        },
      );
    return {
      ask: (question, options) =>
        knowledge.ask(question, options).then(
          (answer) => {
            this.questions.inc({ outcome: answer.answered ? 'answered' : 'no_match' });
            return answer;
          },
          (error: unknown) => {
            const rejected = REJECTED_QUESTION.some((code) => isAppError(error, code));
            this.questions.inc({ outcome: rejected ? 'rejected' : 'failed' });
            throw error;
          },
        ),
      reindex: (onProgress) => write('reindex', knowledge.reindex(onProgress)),
      addDocument: (server, fileName, bytes, onProgress) => write('add_document', knowledge.addDocument(server, fileName, bytes, onProgress)),
      removeDocument: (server, documentPath) => write('remove_document', knowledge.removeDocument(server, documentPath)),
      ensureIndex: () => write('initial', knowledge.ensureIndex()),
      addSource: (server, url, kind, onProgress) => write('add_source', knowledge.addSource(server, url, kind, onProgress)),
      syncSources: (filter, onProgress) => write('sync_sources', knowledge.syncSources(filter, onProgress)),
      removeSource: (id, server) => write('remove_source', knowledge.removeSource(id, server)),
      listSources: (server) => knowledge.listSources(server),
      embedQuestions: (texts) => knowledge.embedQuestions(texts),
      listDocuments: (server) => knowledge.listDocuments(server),
      stats: () => knowledge.stats(),
      idle: () => knowledge.idle(),
      storeHealth: () => knowledge.storeHealth(),
      close: () => knowledge.close(),
    };
  }

  /** The client whose gateway shards are reported. */
  watchGateway(client: Client): void {
    this.client = client;
  }

  /** The engine's stats: one engine call per scrape, shared by the gauges collected in it. */
  private currentStats(): Promise<EngineStats | undefined> {
    this.statsRead ??= this.readStats().finally(() => setImmediate(() => (this.statsRead = undefined)));
    return this.statsRead;
  }

  private statsRead: Promise<EngineStats | undefined> | undefined;
}
