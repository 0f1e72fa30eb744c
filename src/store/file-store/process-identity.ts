import fs from 'node:fs';

/** Who a process is, beyond its PID (which the OS reuses): what a lock records to prove its owner. */
export interface ProcessIdentity {
  readonly pid: number;
  /** When the process started, in clock ticks since boot (Linux /proc/<pid>/stat field 22); null where unknown. */
  readonly startTime: string | null;
  /** The kernel's id of this boot (Linux): start times count from boot, so they only compare within one. */
  readonly bootId: string | null;
}

/** The identity of a running process as the OS reports it now; fields the OS doesn't expose are null. */
export function readProcessIdentity(pid: number): ProcessIdentity {
  return { pid, startTime: readStartTime(pid), bootId: readText('/proc/sys/kernel/random/boot_id') };
}

function readStartTime(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields are counted after the last ")".
  // That makes field 3 (state) the first, and field 22 (starttime) the 20th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
