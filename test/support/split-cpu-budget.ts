import v8 from 'node:v8';
import vm from 'node:vm';

/** Issue 15: about 2 s per MB here; a second on top covers start-up of the first run and GC pauses. */
const SECONDS_PER_MB = 2;

// A full collection before each measurement, so that what is measured (CPU time, peak RSS) is that work's own and
// not the garbage of the work before it.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** The CPU a split of a document of `megabytes` may take. */
export function splitBudgetSeconds(megabytes: number): number {
  return 1 + SECONDS_PER_MB * megabytes;
}

/**
 * Runs `work` after a full collection and returns its result with the CPU seconds it took: CPU time, not wall
 * time, because the machine is shared and a test must not fail because a neighbour is busy.
 */
export function measureCpu<T>(work: () => T): { result: T; seconds: number } {
  collectGarbage();
  const started = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(started);
  return { result, seconds: (used.user + used.system) / 1e6 };
}
