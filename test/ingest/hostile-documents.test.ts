import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostileDocuments } from '../../src/tools/bench/hostile-documents.ts';

const TIMING_SCRIPT = 'src/tools/bench/hostile-documents-timing.ts';
/** Far above what a linear splitter needs (well under 1 s each), far below the 11–85 s these shapes once took. */
const TIME_LIMIT_MS = 5_000;
/** Heap cap of the child: these shapes once needed 2.6–4 GiB; the child dies out of memory if that comes back. */
const HEAP_MIB = 256;

interface SplitResult {
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly paragraphs: number;
}

/**
 * Splits one hostile document in a child process with a capped heap and a kill timeout, so a regression fails
 * this test instead of exhausting the machine or blocking the test runner (the split is synchronous).
 */
function splitInCappedProcess(name: string): { result?: SplitResult; failure?: string } {
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', TIMING_SCRIPT, name], {
    encoding: 'utf8',
    // Start-up (tsx) is not part of the limit; the split itself is timed inside the child.
    timeout: TIME_LIMIT_MS + 10_000,
  });
  if (child.status === 0) return { result: JSON.parse(child.stdout.trim().split('\n').at(-1)!) as SplitResult };
  if (child.error) return { failure: `killed after ${TIME_LIMIT_MS + 10_000} ms` };
  return { failure: /heap out of memory/i.test(child.stderr) ? `out of memory (${HEAP_MIB} MiB heap)` : child.stderr.slice(-500) };
}

describe('hostile documents (issue 15: items 1, 5, 6)', () => {
  it.each(hostileDocuments().map((document) => [document.name]))(
    '%s is split within a 256 MiB heap and 5 s',
    (name) => {
      const { result, failure } = splitInCappedProcess(name);
      expect(failure).toBeUndefined();
      expect(result!.seconds * 1000).toBeLessThan(TIME_LIMIT_MS);
    },
    30_000,
  );
});
