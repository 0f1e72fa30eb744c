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
