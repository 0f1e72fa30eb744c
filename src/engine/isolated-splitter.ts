import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TokenizerSource } from '../embed/embedder.ts';
import { formatBytes } from '../format-bytes.ts';
import type { Paragraph, SourceDocument } from '../ingest/types.ts';

const ENTRY = fileURLToPath(new URL('./split-child.mjs', import.meta.url));

/** How the worker builds its token counter: the model's tokenizer, or the approximation of keyword mode. */
export type CounterRecipe = { readonly kind: 'tokenizer'; readonly source: TokenizerSource } | { readonly kind: 'approximate'; readonly maxTokens: number };

/** What one document may cost to split. */
export interface SplitBudget {
  /** Wall-clock time for one document, from the moment it is sent to the splitting process. */
  readonly timeMs: number;
  /** The splitting process's V8 heap (old generation), document and tokenizer included. */
  readonly memoryMb: number;
}

/** A document's paragraphs, or why it was left out. */
export type SplitOutcome = { readonly paragraphs: Paragraph[] } | { readonly skipped: string };

export interface SplitRequest {
  readonly id: number;
  readonly document: SourceDocument;
}

/** `skipped`: a document the reader refused, with its reason; `error`: the reader failed. */
export type SplitReply = { readonly id: number; readonly paragraphs?: Paragraph[]; readonly skipped?: string; readonly error?: string };

type Ready = { readonly ready: boolean; readonly error?: string };

/** "12.0 KiB of text", or of a PDF or Word file, its bytes. */
function documentSize(document: SourceDocument): string {
  return document.bytes ? `a ${formatBytes(document.bytes.byteLength)} file` : `${formatBytes(document.content.length)} of text`;
}

/**
 * Splits documents in a child process, one at a time, each within a {@link SplitBudget}. Parsing is CPU-bound and a
 * hostile document (deep nesting, huge runs without spaces, a corrupt PDF, a zip bomb named .docx) can take seconds
 * or gigabytes: there it costs neither
 * the caller's event loop nor its memory. A document over budget has its process killed and is reported as
 * skipped; the next document gets a fresh process. A process, not a worker thread: the tokenizer comes with
 * transformers.js, which loads onnxruntime-node, and terminating threads that loaded it has aborted the whole
 * process before (docs/benchmarks.md); killing a process is always safe.
 */
export class IsolatedSplitter {
  private worker: Promise<ChildProcess> | null = null;
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
        worker.off('message', onMessage).off('exit', onExit);
        if (!keepWorker) this.discard(worker);
        resolve(outcome);
      };
      const onMessage = (reply: SplitReply) => {
        if (reply.id !== id) return;
        finish(
          reply.paragraphs ? { paragraphs: reply.paragraphs } : { skipped: reply.skipped ?? `could not be read (${reply.error})` },
          true,
        );
      };
      // V8 aborts a process whose heap passes --max-old-space-size: that is the memory budget running out.
      const onExit = () => finish({ skipped: this.overMemory(document) }, false);
      const timer = setTimeout(
        () => finish({ skipped: `took longer than ${(this.budget.timeMs / 1000).toFixed(1)} s to read (${documentSize(document)}); not indexed` }, false),
        this.budget.timeMs,
      );
      worker.on('message', onMessage).on('exit', onExit);
      const { path, content, bytes } = document;
      worker.send({ id, document: { path, content, ...(bytes && { bytes }) } } satisfies SplitRequest);
    });
  }

  /** Stops the worker; a later {@link split} starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    const child = await worker?.catch(() => undefined);
    if (child?.connected) child.disconnect();
  }

  private overMemory(document: SourceDocument): string {
    return `needed more than ${this.budget.memoryMb} MiB to read (${documentSize(document)}); not indexed`;
  }

  private discard(worker: ChildProcess): void {
    this.worker = null;
    worker.kill('SIGKILL');
  }

  private start(): Promise<ChildProcess> {
    const worker = fork(ENTRY, [], {
      execArgv: [`--max-old-space-size=${this.budget.memoryMb}`],
      serialization: 'advanced',
      // Its stderr would carry V8's out-of-memory report, which the skip reason already says.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const started = new Promise<ChildProcess>((resolve, reject) => {
      worker.once('message', ({ ready, error }: Ready) => (ready ? resolve(worker) : reject(new Error(`the document splitter could not start: ${error}`))));
      worker.once('exit', (code, signal) => reject(new Error(`the document splitter could not start (it exited: ${signal ?? `code ${code}`})`)));
      worker.once('error', (error) => reject(new Error(`the document splitter could not start: ${error.message}`)));
    });
    started.catch(() => {
      if (this.worker === started) this.worker = null;
      worker.kill('SIGKILL');
    });
    worker.send({ recipe: this.recipe });
    return started;
  }
}
