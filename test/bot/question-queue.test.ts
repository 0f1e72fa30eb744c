import { MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import ask from '../../commands/ask.ts';
import { createInteractionRouter } from '../../src/bot/interaction-router.ts';
import { createMessageHandler } from '../../src/bot/message-questions.ts';
import { QuestionQueue } from '../../src/bot/question-queue.ts';
import type { QueueBounds } from '../../src/config.ts';
import { isAppError } from '../../src/errors.ts';
import { fakeContext, fakeInteraction, fakeKnowledge, fakeMessage } from '../support/fake-interaction.ts';

const BOUNDS: QueueBounds = { deferAfterMs: 500, shedAfterMs: 5000, maxQueued: 100, concurrency: 1 };

function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
}

/** Runs `count` questions that each take `ms` on a fake clock, one after another. */
async function timed(queue: QuestionQueue, clock: { now: number }, count: number, ms: number) {
  for (let i = 0; i < count; i++) await queue.run('1', async () => void (clock.now += ms));
}

function busyError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (isAppError(error, 'BUSY')) return error;
    throw error;
  }
  throw new Error('expected a BUSY error');
}

describe('QuestionQueue', () => {
  it('runs low-priority work only while no question waits, one job at a time, and leaves it out of the time per answer', async () => {
    const clock = { now: 0 };
    const queue = new QuestionQueue({ ...BOUNDS, concurrency: 2 }, () => clock.now);
    const order: string[] = [];
    const report = gate();
    const firstJob = queue.runWhenIdle(() => report.closed.then(() => order.push('report 1')));
    const secondJob = queue.runWhenIdle(async () => void order.push('report 2'));
    expect(order).toEqual([]); // a free slot, but the lane runs one job at a time
    const question = gate();
    const asked = queue.run('1', () => question.closed.then(() => order.push('question')));
    const waiting = queue.run('1', async () => void order.push('second question'));
    report.open();
    await firstJob;
    // The question queued before the first report job ended went ahead of the second job, queued long before it.
    expect(order).toEqual(['report 1', 'second question']);
    await secondJob;
    question.open();
    await Promise.all([asked, waiting]);
    expect(order).toEqual(['report 1', 'second question', 'report 2', 'question']);
    // Questions so far took no time on the clock; a report job of a minute must not make them look slow.
    await queue.runWhenIdle(async () => void (clock.now += 60_000));
    const held = gate();
    const running = [queue.run('1', () => held.closed), queue.run('1', () => held.closed), queue.run('1', () => held.closed)];
    expect(queue.expectedWaitMs('1')).toBe(0);
    held.open();
    await Promise.all(running);
  });

  it('runs one server\'s work in arrival order and survives failures', async () => {
    const queue = new QuestionQueue(BOUNDS);
    const order: string[] = [];
    const first = gate();
    const running = queue.run('1', () => first.closed.then(() => order.push('first')));
    const failing = queue.run('1', async () => {
      order.push('failing');
      throw new Error('boom');
    });
    const third = queue.run('1', async () => order.push('third'));
    await Promise.resolve();
    expect(order).toEqual([]);
    first.open();
    await running;
    await expect(failing).rejects.toThrow('boom');
    await third;
    expect(order).toEqual(['first', 'failing', 'third']);
  });

  it('serves servers round-robin: a question from a quiet server runs next, not behind a busy server\'s backlog', async () => {
    const queue = new QuestionQueue(BOUNDS);
    const order: string[] = [];
    const first = gate();
    const jobs = [queue.run('busy', () => first.closed.then(() => order.push('busy 0')))];
    for (let i = 1; i <= 5; i++) jobs.push(queue.run('busy', async () => order.push(`busy ${i}`)));
    jobs.push(queue.run('quiet', async () => order.push('quiet')));
    first.open();
    await Promise.all(jobs);
    expect(order).toEqual(['busy 0', 'busy 1', 'quiet', 'busy 2', 'busy 3', 'busy 4', 'busy 5']);
  });
});

describe('QuestionQueue.admit', () => {
  it('answers directly while the wait is short, defers past deferAfterMs, judged by how long answers have taken', async () => {
    const clock = { now: 0 };
    const queue = new QuestionQueue(BOUNDS, () => clock.now);
    expect(queue.admit('1')).toBe('now');
    await timed(queue, clock, 5, 10);
    const { closed, open } = gate();
    const pending = Array.from({ length: 20 }, () => queue.run('1', () => closed));
    expect(queue.admit('1')).toBe('now'); // 20 waiting at ~10 ms each: about 200 ms, answered directly
    pending.push(...Array.from({ length: 40 }, () => queue.run('1', () => closed)));
    expect(queue.admit('1')).toBe('defer'); // 60 waiting: about 600 ms, deferred
    open();
    await Promise.all(pending);
    expect(queue.admit('1')).toBe('now');
  });

  it('defers any wait before anything has been timed', () => {
    const queue = new QuestionQueue(BOUNDS);
    void queue.run('1', () => new Promise(() => {}));
    void queue.run('1', () => new Promise(() => {}));
    expect(queue.admit('1')).toBe('defer');
  });

  it('refuses as busy, with when to try again, past shedAfterMs; a quiet server is still admitted', async () => {
    const clock = { now: 0 };
    const queue = new QuestionQueue(BOUNDS, () => clock.now);
    await timed(queue, clock, 5, 100);
    const { closed, open } = gate();
    const pending = Array.from({ length: 60 }, () => queue.run('1', () => closed));
    // ~60 ahead at ~100 ms: about 6 s, past the 5 s bound.
    expect(busyError(() => queue.admit('1')).message).toBe('The bot is busy answering other questions right now; please try again in 6 s.');
    // Another server waits only for the running one and its own turn.
    expect(queue.admit('2')).toBe('now');
    open();
    await Promise.all(pending);
  });

  it('refuses every new question when maxQueued are waiting', () => {
    const queue = new QuestionQueue({ ...BOUNDS, maxQueued: 3 });
    for (let i = 0; i < 4; i++) void queue.run(String(i), () => new Promise(() => {}));
    expect(busyError(() => queue.admit('9')).message).toMatch(/busy .* try again in \d+ s\.$/);
  });
});

describe('/ask under load', () => {
  it('acknowledges at once with a deferral when the wait is long, then edits in the answer', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge);
    const { closed, open } = gate();
    const blocker = context.questions.run('111', () => closed);
    const interaction = fakeInteraction({ options: { question: 'How do I install?' } });
    const running = ask.execute(interaction as never, context);
    await Promise.resolve();
    expect(interaction.sent[0]).toMatchObject({ kind: 'defer', flags: MessageFlags.Ephemeral });
    open();
    await blocker;
    await running;
    expect(interaction.sent[1]!.kind).toBe('edit');
    expect(interaction.sent[1]!.embeds![0]!.fields![0]!.name).toBe('1. Guide › Setup › ¶2');
  });

  it('replies at once that the bot is busy, and when to retry, when the queue is full; the engine is not asked', async () => {
    const { knowledge, calls } = fakeKnowledge();
    const { context } = fakeContext(knowledge);
    for (let i = 0; i < 101; i++) void context.questions.run('111', () => new Promise(() => {}));
    const interaction = fakeInteraction({ options: { question: 'How do I install?' } });
    await createInteractionRouter(new Map([['ask', ask]]), context, () => true)(interaction as never);
    expect(interaction.sent).toEqual([
      expect.objectContaining({ kind: 'reply', flags: MessageFlags.Ephemeral, content: expect.stringMatching(/^The bot is busy answering other questions right now; please try again in \d+ s\.$/) }),
    ]);
    expect(calls).toEqual([]);
  });
});

describe('a mention while the bot is overloaded', () => {
  it('gets the same busy reply at once, without asking the engine', async () => {
    const { knowledge, calls } = fakeKnowledge();
    const { context } = fakeContext(knowledge);
    for (let i = 0; i < 101; i++) void context.questions.run('111', () => new Promise(() => {}));
    const message = fakeMessage();
    await createMessageHandler(context, () => '999', () => true)(message as never);
    expect(message.replies).toEqual([expect.objectContaining({ content: expect.stringMatching(/^The bot is busy answering other questions right now; please try again in \d+ s\.$/) })]);
    expect(calls).toEqual([]);
  });
});
