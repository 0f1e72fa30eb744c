import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a figure was measured on: without it, a benchmark number means little. */
export interface MachineInfo {
  readonly cpuModel: string;
  /** Logical CPUs the process may use. */
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** Versions of the native packages that dominate the figures, as installed. */
  readonly packages: Readonly<Record<string, string>>;
  readonly date: string;
}

const NATIVE_PACKAGES = ['@xenova/transformers', 'onnxruntime-node', 'hnswlib-node', 'better-sqlite3'];

export function describeMachine(cwd = process.cwd(), now = new Date()): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    packages: Object.fromEntries(NATIVE_PACKAGES.map((name) => [name, installedVersion(cwd, name)])),
    date: now.toISOString(),
  };
}

/** The CPU's marketing name from /proc/cpuinfo (Linux), else what Node reports. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // Not Linux: fall through to Node's view.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** The version npm installed: the top-level package the project imports, else the copy nested under transformers.js. */
function installedVersion(cwd: string, name: string): string {
  // Top level first: that is the onnxruntime-node the embedder imports (transformers.js's nested copy only serves
  // transformers.js's own sessions, which the embedder does not use).
  const candidates = [
    path.join(cwd, 'node_modules', name, 'package.json'),
    path.join(cwd, 'node_modules/@xenova/transformers/node_modules', name, 'package.json'),
  ];
  for (const file of candidates) {
    try {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      // Try the next place.
    }
  }
  return 'not installed';
}

/** Cumulative CPU time of the whole machine from /proc/stat (Linux; zeros elsewhere), in clock ticks. */
export interface CpuTimes {
  readonly total: number;
  /** Time the hypervisor gave our virtual CPUs to someone else. */
  readonly steal: number;
}

export function readCpuTimes(): CpuTimes {
  try {
    const fields = /^cpu\s+(.+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))![1]!.trim().split(/\s+/).map(Number);
    return { total: fields.slice(0, 8).reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
  } catch {
    return { total: 0, steal: 0 };
  }
}

/**
 * Share of CPU time stolen by the hypervisor between two readings, in percent. On a shared virtual machine this is
 * what makes one run slower than the next; a figure measured under high steal is a floor, not the machine's speed.
 */
export function stealPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? (100 * (after.steal - before.steal)) / total : 0;
}
