import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Pooling } from './pooling.ts';

const CHILD = fileURLToPath(new URL('./encoder-child.mjs', import.meta.url));

type Reply = { readonly id: number; readonly vectors?: Float32Array[]; readonly error?: string };

/**
 * Child processes, each running the encoder on one thread, that embed batches side by side. On 2 cores two of
 * them measured about twice the paragraphs/s of one two-threaded session, because a single paragraph's matrices
 * are too small for onnxruntime's threads to share well. Processes, not worker threads: onnxruntime-node 1.14's
 * addon cannot be loaded again by a new thread once another thread that loaded it has exited.
 */
export class PassagePool {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();

  private constructor(private readonly children: readonly ChildProcess[]) {
    for (const child of children) {
      // An idle pool must not keep the process alive (a CLI run would wait for the idle timeout to exit).
      child.unref();
      child.channel?.unref();
      child.on('message', (reply: Reply) => {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (this.pending.size === 0) for (const each of this.children) each.channel?.unref();
        waiter?.resolve(reply);
      });
      child.on('exit', (code, signal) => this.failAll(new Error(`an embedding worker exited (${signal ?? `code ${code}`})`)));
    }
  }

  /** Starts `size` children, each with the model file open. */
  static async start(size: number, modelFile: string, padId: bigint, pooling: Pooling): Promise<PassagePool> {
    const children = Array.from({ length: size }, () => fork(CHILD, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const pool = new PassagePool(children);
    try {
      await Promise.all(children.map((child) => pool.request(child, { type: 'open', file: modelFile, padId, pooling })));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  /** Embeds the batches, each child taking the next one when it is free; results in the order of `batches`. */
  async embed(batches: readonly (readonly (readonly number[])[])[]): Promise<Float32Array[][]> {
    const results: Float32Array[][] = new Array(batches.length);
    let next = 0;
    await Promise.all(this.children.map(async (child) => {
      while (next < batches.length) {
        const index = next++;
        results[index] = (await this.request(child, { type: 'encode', batch: batches[index] })).vectors!;
      }
    }));
    return results;
  }

  /** The workers' process ids (diagnostics and tests). */
  get processIds(): number[] {
    return this.children.map((child) => child.pid!);
  }

  close(): void {
    for (const child of this.children) if (child.connected) child.disconnect();
  }

  private request(child: ChildProcess, message: Record<string, unknown>): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (!child.connected) {
        reject(new Error('an embedding worker is no longer running'));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      child.channel?.ref();
      child.send({ ...message, id });
    }).then((reply) => {
      if (reply.error !== undefined) throw new Error(`an embedding worker failed: ${reply.error}`);
      return reply;
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
