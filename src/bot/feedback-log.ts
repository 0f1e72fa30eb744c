import fs from 'node:fs';
import path from 'node:path';
export interface FeedbackEntry {
  readonly at: string;
  readonly vote: 'up' | 'down';
  readonly server: string | undefined;
  readonly user: string;
  readonly question: string;
  /** The passages shown, each with its paragraph's number in its document as `paragraph`. */
  readonly passages: readonly { readonly document: string; readonly section: string; readonly paragraph: number; readonly score: number }[];
}

/** Appends 👍/👎 votes, one JSON object per line, for admins to review which answers miss. */
export class FeedbackLog {
  constructor(private readonly file: string) {}

  record(entry: FeedbackEntry): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // One appendFileSync call per line: the line lands whole, even with several votes at once.
    fs.appendFileSync(this.file, JSON.stringify(entry) + '\n');
  }
}
