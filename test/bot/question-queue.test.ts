import { MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import ask from '../../commands/ask.ts';
import { QuestionQueue } from '../../src/bot/question-queue.ts';
import { fakeContext, fakeInteraction, fakeKnowledge } from '../support/fake-interaction.ts';

describe('QuestionQueue', () => {
  it('runs work one at a time in arrival order, says when a new question would wait, and survives failures', async () => {
    const queue = new QuestionQueue();
    const order: string[] = [];
    let release!: () => void;
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)).then(() => order.push('first')));
    const failing = queue.run(async () => {
      order.push('failing');
      throw new Error('boom');
    });
    const third = queue.run(async () => order.push('third'));
    expect(queue.busy).toBe(true);
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    await first;
    await expect(failing).rejects.toThrow('boom');
    await third;
    expect(order).toEqual(['first', 'failing', 'third']);
    expect(queue.busy).toBe(false);
  });
});

describe('QuestionQueue.busy', () => {
  /** Runs `count` questions that each take `ms` on a fake clock, one after another. */
  async function timed(queue: QuestionQueue, clock: { now: number }, count: number, ms: number) {
    for (let i = 0; i < count; i++) await queue.run(async () => void (clock.now += ms));
  }

  function gate() {
    let open!: () => void;
    const closed = new Promise<void>((resolve) => (open = resolve));
    return { closed, open };
  }

  it('is true for a question that would wait longer than the limit, judged by how long answers have taken', async () => {
    const clock = { now: 0 };
    const queue = new QuestionQueue(500, () => clock.now);
    await timed(queue, clock, 5, 10);
    const { closed, open } = gate();
    const pending = Array.from({ length: 20 }, () => queue.run(() => closed));
    expect(queue.busy).toBe(false); // 20 waiting at ~10 ms each: about 200 ms, answered directly
    pending.push(...Array.from({ length: 40 }, () => queue.run(() => closed)));
    expect(queue.busy).toBe(true); // 60 waiting: about 600 ms, deferred
    open();
    await Promise.all(pending);
    expect(queue.busy).toBe(false);
  });

  it('counts any wait as long before anything has been timed, and follows answers getting slower', async () => {
    const clock = { now: 0 };
    const queue = new QuestionQueue(500, () => clock.now);
    const first = gate();
    const running = queue.run(() => first.closed);
    expect(queue.busy).toBe(true); // nothing timed yet
    clock.now += 5;
    first.open();
    await running;
    await timed(queue, clock, 30, 300); // a slow spell: ~300 ms a question
    const next = gate();
    const blocker = queue.run(() => next.closed);
    expect(queue.busy).toBe(false); // one ahead at ~300 ms
    const second = queue.run(async () => undefined);
    expect(queue.busy).toBe(true); // two ahead: ~600 ms
    next.open();
    await Promise.all([blocker, second]);
  });
});

describe('/ask while other questions are queued', () => {
  it('acknowledges at once with a deferral, then edits in the answer', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge);
    let release!: () => void;
    const blocker = context.questions.run(() => new Promise<void>((resolve) => (release = resolve)));
    const interaction = fakeInteraction({ options: { question: 'How do I install?' } });
    const running = ask.execute(interaction as never, context);
    await Promise.resolve();
    expect(interaction.sent[0]).toMatchObject({ kind: 'defer', flags: MessageFlags.Ephemeral });
    release();
    await blocker;
    await running;
    expect(interaction.sent[1]!.kind).toBe('edit');
    expect(interaction.sent[1]!.embeds![0]!.fields![0]!.name).toBe('1. Guide › Setup › ¶2');
  });
});
