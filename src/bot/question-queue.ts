/**
 * Runs question work one at a time, in arrival order. Answering is CPU-bound (embedding, ranking), so running
 * questions side by side only interleaves them and delays every one; in a queue, each waits its turn and the
 * bot can tell at once that a new question will wait, and acknowledge it to Discord before its turn comes.
 */
export class QuestionQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Whether a question submitted now would wait behind others. */
  get busy(): boolean {
    return this.waiting > 0;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(work).finally(() => this.waiting--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
