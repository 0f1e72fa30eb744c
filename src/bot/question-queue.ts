import type { QueueBounds } from '../config.ts';
import { createError } from '../errors.ts';

/** How a new question is taken: answered directly, deferred at once (its wait is long), or refused as busy. */
export type Admission = 'now' | 'defer';

interface Job {
  readonly work: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Questions waiting for the engine, one queue per server, served round-robin: a server that floods the bot waits
 * behind its own questions, never in front of another server's. The queue estimates each new question's wait from
 * the questions ahead of it in that order and the measured time per answer, and admits it accordingly
 * ({@link admit}), so that every interaction is acknowledged within Discord's 3 s whatever the load. Engine work
 * for admin reports (`/unanswered`'s embeddings) goes in a low-priority lane ({@link runWhenIdle}) in small jobs.
 */
export class QuestionQueue {
  private readonly queues = new Map<string, Job[]>();
  /** Servers with waiting questions, in serving order. */
  private readonly turn: string[] = [];
  private queued = 0;
  private running = 0;
  /** The low-priority lane: jobs taken only when no question waits, one at a time. */
  private readonly idleJobs: Job[] = [];
  private idleRunning = false;
  /** Moving average of the time between answers while busy; undefined until one has finished. */
  private averageMs: number | undefined;
  private lastFinish = -Infinity;

  constructor(
    private readonly bounds: QueueBounds,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Admits a new question from `server`: 'now' when its expected wait is short, 'defer' when it is long (the
   * interaction is acknowledged at once, and the answer edited in later). Throws a BUSY AppError, with when to try
   * again, when the wait is past the shedding bound or the queue is full: a clear answer now beats silence.
   */
  admit(server: string): Admission {
    const wait = this.expectedWaitMs(server);
    if (this.queued >= this.bounds.maxQueued || wait > this.bounds.shedAfterMs) {
      const seconds = Math.max(1, Math.ceil(Math.max(wait, (this.queued + this.running) * (this.averageMs ?? 0)) / 1000));
      throw createError('BUSY', seconds);
    }
    if (this.queued + this.running === 0) return 'now';
    return this.averageMs === undefined || wait > this.bounds.deferAfterMs ? 'defer' : 'now';
  }

  /** Questions waiting or being answered (all servers). */
  get depth(): number {
    return this.queued + this.running;
  }

  /** How long a question from `server` submitted now would wait before its turn, in ms (0 before any timing). */
  expectedWaitMs(server: string): number {
    const own = this.queues.get(server)?.length ?? 0;
    // Round-robin: before it, each server's first `own + 1` questions at most (its own queue included).
    let ahead = Math.max(0, this.running - this.bounds.concurrency + 1);
    for (const jobs of this.queues.values()) ahead += Math.min(jobs.length, own + 1);
    return ahead * (this.averageMs ?? 0);
  }

  /** Runs `work` in `server`'s turn. Callers {@link admit} first; `run` itself never refuses. */
  run<T>(server: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let jobs = this.queues.get(server);
      if (!jobs) {
        jobs = [];
        this.queues.set(server, jobs);
        this.turn.push(server);
      }
      jobs.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.queued++;
      this.pump();
    });
  }

  /**
   * Runs `work` in the low-priority lane: only while no member's question waits, one such job at a time (so one
   * slot always stays free for questions), and left out of the time per answer. A long task is split into small
   * jobs, each queued when the last is done: a question asked meanwhile waits for one job at most.
   */
  runWhenIdle<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.idleJobs.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.bounds.concurrency && this.turn.length > 0) {
      const server = this.turn.shift()!;
      const jobs = this.queues.get(server)!;
      const job = jobs.shift()!;
      if (jobs.length > 0) this.turn.push(server);
      else this.queues.delete(server);
      this.queued--;
      this.running++;
      void this.execute(job);
    }
    if (this.running < this.bounds.concurrency && this.turn.length === 0 && !this.idleRunning && this.idleJobs.length > 0) {
      this.idleRunning = true;
      this.running++;
      void this.execute(this.idleJobs.shift()!, 'idle');
    }
  }

  private async execute(job: Job, lane: 'questions' | 'idle' = 'questions'): Promise<void> {
    const started = this.now();
    try {
      job.resolve(await job.work());
    } catch (error) {
      job.reject(error);
    } finally {
      if (lane === 'questions') {
        const finished = this.now();
        // With several in flight, the time since the previous answer is what each answer costs the queue.
        const took = finished - Math.max(started, this.lastFinish);
        this.lastFinish = finished;
        this.averageMs = this.averageMs === undefined ? took : this.averageMs + SMOOTHING * (took - this.averageMs);
      } else {
        this.idleRunning = false;
      }
      this.running--;
      this.pump();
    }
  }
}

/** Weight of the newest duration in the moving average: follows a change in load within a few dozen questions. */
const SMOOTHING = 0.1;
