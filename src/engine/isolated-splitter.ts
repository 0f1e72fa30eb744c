import { Worker } from 'node:worker_threads';
import type { TokenizerSource } from '../embed/embedder.ts';
import { formatBytes } from '../format-bytes.ts';
import type { Paragraph, SourceDocument } from '../ingest/types.ts';

const ENTRY = new URL('./split-worker.mjs', import.meta.url);

/** How the worker builds its token counter: the model's tokenizer, or the approximation of keyword mode. */
export type CounterRecipe = { readonly kind: 'tokenizer'; readonly source: TokenizerSource } | { readonly kind: 'approximate'; readonly maxTokens: number };

/** What one document may cost to split. */
export interface SplitBudget {
  /** Wall-clock time for one document, from the moment the worker receives it. */
  readonly timeMs: number;
  /** The worker's V8 heap (old generation), document and tokenizer included. */
  readonly memoryMb: number;
}

/** A document's paragraphs, or why it was left out. */
export type SplitOutcome = { readonly paragraphs: Paragraph[] } | { readonly skipped: string };

export interface SplitRequest {
  readonly id: number;
  readonly document: SourceDocument;
}

export type SplitReply = { readonly id: number; readonly paragraphs?: Paragraph[]; readonly error?: string };

type Ready = { readonly ready: boolean; readonly error?: string };

/**
 * Splits documents in a worker thread, one at a time, each within a {@link SplitBudget}. Parsing is CPU-bound and a
 * hostile document (deep nesting, huge runs without spaces) can take seconds or gigabytes: here it costs neither
 * the caller's event loop nor its memory. A document over budget has its worker terminated and is reported as
 * skipped; the next document gets a fresh worker.
 */
export class IsolatedSplitter {
  private worker: Promise<Worker> | null = null;
  private nextId = 0;

  constructor(
    private readonly recipe: CounterRecipe,
    private readonly budget: SplitBudget,
  ) {}

  /** Splits one document. Rejects only when the worker cannot start at all (its token counter fails to load). */
  async split(document: SourceDocument): Promise<SplitOutcome> {
    const worker = await (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<SplitOutcome>((resolve) => {
      const finish = (outcome: SplitOutcome, keepWorker: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (!keepWorker) this.discard(worker);
        resolve(outcome);
      };
      const onMessage = (reply: SplitReply) => {
        if (reply.id !== id) return;
        finish(reply.paragraphs ? { paragraphs: reply.paragraphs } : { skipped: `could not be read (${reply.error})` }, true);
      };
      const onError = (error: Error & { code?: string }) =>
        finish({ skipped: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.overMemory(document) : `could not be read (${error.message})` }, false);
      const onExit = () => finish({ skipped: this.overMemory(document) }, false);
      const timer = setTimeout(
        () => finish({ skipped: `took longer than ${(this.budget.timeMs / 1000).toFixed(1)} s to read (${formatBytes(document.content.length)} of text); not indexed` }, false),
        this.budget.timeMs,
      );
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id, document: { path: document.path, content: document.content } } satisfies SplitRequest);
    });
  }

  /** Stops the worker; a later {@link split} starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await (await worker?.catch(() => undefined))?.terminate();
  }

  private overMemory(document: SourceDocument): string {
    return `needed more than ${this.budget.memoryMb} MiB to read (${formatBytes(document.content.length)} of text); not indexed`;
  }

  private discard(worker: Worker): void {
    this.worker = null;
    void worker.terminate();
  }

  private start(): Promise<Worker> {
    const worker = new Worker(ENTRY, {
      workerData: this.recipe,
      resourceLimits: { maxOldGenerationSizeMb: this.budget.memoryMb },
      stdout: false,
    });
    // An idle splitter must not keep a CLI run alive.
    worker.unref();
    const started = new Promise<Worker>((resolve, reject) => {
      worker.once('message', ({ ready, error }: Ready) => (ready ? resolve(worker) : reject(new Error(`the document splitter could not start: ${error}`))));
      worker.once('error', (error) => reject(new Error(`the document splitter could not start: ${error.message}`)));
    });
    started.catch(() => {
      if (this.worker === started) this.worker = null;
      void worker.terminate();
    });
    return started;
  }
}
