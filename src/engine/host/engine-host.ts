import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { EngineConfig } from '../../config.ts';
import { createError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ReindexProgress, ReindexReport } from '../types.ts';
import type { Answer, AskOptions, DocumentInfo, EngineStats } from '../types.ts';
import type { KnowledgeService } from '../knowledge-base.ts';
import type { SourceInfo, SourceKind } from '../../sources/source-record.ts';
import type { SourceFilter } from '../../sources/sources.ts';
import type { SourceSyncReport } from '../../sources/sync-source.ts';
import type { StoreHealth } from '../../store/index-store.ts';
import { fromWire, type HostMethod, type HostReply, type HostRequest } from './protocol.ts';

const CHILD = fileURLToPath(new URL('./engine-host-child.mjs', import.meta.url));
const DEFAULT_MODULE = fileURLToPath(new URL('./open-engine.ts', import.meta.url));

export interface EngineHostOptions {
  readonly config: EngineConfig;
  /** Receives the engine process's log lines too. */
  readonly logger: Logger;
  /** Path of the module whose `openKnowledge` the engine process calls; the real engine by default. */
  readonly module?: string;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: (progress: ReindexProgress) => void;
}

/**
 * The engine in a child process, behind the {@link KnowledgeService} the bot uses. Answering (query embedding,
 * ranking) and indexing are CPU-bound: in this process they would hold up discord.js's event loop, so gateway
 * events and interaction acknowledgements would wait behind them. A child process rather than a worker thread
 * because onnxruntime-node 1.14 is not context-aware (docs/benchmarks.md). If the child dies, its pending calls
 * fail and the next call starts a new one.
 */
export class EngineHost implements KnowledgeService {
  private child: Promise<ChildProcess> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closing = false;

  private constructor(private readonly options: EngineHostOptions) {}

  /** Starts the engine process and waits until the engine is open (model loaded, index read). */
  static async start(options: EngineHostOptions): Promise<EngineHost> {
    const host = new EngineHost(options);
    await host.running();
    return host;
  }

  ask(question: string, options?: AskOptions): Promise<Answer> {
    return this.call('ask', [question, options]);
  }

  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    return this.call('reindex', [], onProgress);
  }

  listDocuments(server?: string): Promise<DocumentInfo[]> {
    return this.call('listDocuments', [server]);
  }

  addDocument(server: string, fileName: string, bytes: Uint8Array, onProgress?: (progress: ReindexProgress) => void): Promise<{ path: string; report: ReindexReport }> {
    return this.call('addDocument', [server, fileName, bytes], onProgress);
  }

  removeDocument(server: string, documentPath: string): Promise<ReindexReport> {
    return this.call('removeDocument', [server, documentPath]);
  }

  stats(): Promise<EngineStats> {
    return this.call('stats', []);
  }

  embedQuestions(texts: readonly string[]): Promise<number[][] | null> {
    return this.call('embedQuestions', [texts]);
  }

  listSources(server?: string): Promise<SourceInfo[]> {
    return this.call('listSources', [server]);
  }

  addSource(server: string, url: string, kind?: SourceKind, onProgress?: (progress: ReindexProgress) => void): Promise<{ source: SourceInfo; sync: SourceSyncReport; report: ReindexReport }> {
    return this.call('addSource', [server, url, kind], onProgress);
  }

  syncSources(filter?: SourceFilter, onProgress?: (progress: ReindexProgress) => void): Promise<{ sources: SourceSyncReport[]; report: ReindexReport }> {
    return this.call('syncSources', [filter], onProgress);
  }

  removeSource(id: string, server?: string): Promise<ReindexReport> {
    return this.call('removeSource', [id, server]);
  }

  ensureIndex(): Promise<ReindexReport | null> {
    return this.call('ensureIndex', []);
  }

  idle(): Promise<void> {
    return this.call('idle', []);
  }

  storeHealth(): Promise<StoreHealth> {
    return this.call('storeHealth', []);
  }

  /** Asks the engine process to finish a running reindex and exit; resolves when it has. */
  async close(): Promise<void> {
    this.closing = true;
    const child = await this.child?.catch(() => null);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.connected) child.send({ type: 'close' } satisfies HostRequest);
    await exited;
  }

  /** The engine process's id (diagnostics, tests). */
  async processId(): Promise<number> {
    return (await this.running()).pid!;
  }

  private async call<T>(method: HostMethod, args: readonly unknown[], onProgress?: (progress: ReindexProgress) => void): Promise<T> {
    if (this.closing) throw createError('SHUTTING_DOWN');
    const child = await this.running();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      child.send({ type: 'call', id, method, args } satisfies HostRequest);
    });
  }

  private running(): Promise<ChildProcess> {
    return (this.child ??= this.spawn());
  }

  private spawn(): Promise<ChildProcess> {
    const child = fork(CHILD, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    lowerPriority(child);
    const started = new Promise<ChildProcess>((resolve, reject) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => reject(new Error(`the engine process exited while opening (${signal ?? `code ${code}`})`));
      child.once('exit', onExit);
      child.on('message', (reply: HostReply) => {
        if (reply.type === 'ready') {
          child.off('exit', onExit);
          resolve(child);
        } else if (reply.type === 'failed') {
          reject(fromWire(reply.error));
        } else if (reply.type === 'log') {
          this.options.logger[reply.level](reply.message);
        } else {
          this.settle(reply);
        }
      });
    });
    child.on('exit', (code, signal) => {
      if (this.child === started) this.child = null;
      if (!this.closing) this.options.logger.error(`The engine process exited (${signal ?? `code ${code}`}); the next question starts a new one.`);
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the engine process exited (${signal ?? `code ${code}`})`));
      this.pending.clear();
    });
    child.send({
      type: 'open',
      config: this.options.config,
      module: this.options.module ?? DEFAULT_MODULE,
    } satisfies HostRequest);
    started.catch(() => {
      if (this.child === started) this.child = null;
      child.kill();
    });
    return started;
  }

  private settle(reply: Exclude<HostReply, { type: 'ready' | 'failed' | 'log' }>): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    if (reply.type === 'progress') {
      waiter.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'result') waiter.resolve(reply.value);
    else waiter.reject(fromWire(reply.error));
  }
}

/**
 * Niceness of the engine process (its embedding workers inherit it). When answering saturates every core, the
 * scheduler still runs the bot's process first, so gateway events and acknowledgements wait for nobody.
 */
const ENGINE_NICENESS = 10;

function lowerPriority(child: ChildProcess): void {
  try {
    os.setPriority(child.pid!, Math.max(os.getPriority(child.pid!), ENGINE_NICENESS));
  } catch {
    // Not permitted on this system: the engine then runs at the bot's priority, as a thread would.
  }
}
