import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';

/** How token vectors become one sentence vector: their mean (over real tokens) or the first ([CLS]) token's. */
export type Pooling = 'mean' | 'cls';

/** A model's pooling and normalisation as its sentence-transformers files say. */
export interface PoolingRecord {
  readonly pooling: Pooling;
  /** Whether the checkpoint ends in a Normalize module. Vectors are unit length either way: the index scores by cosine. */
  readonly normalize: boolean;
}

/** sentence-transformers' pooling file and module list, relative to the model folder. */
export const POOLING_FILE = '1_Pooling/config.json';
export const MODULES_FILE = 'modules.json';

/** Mean pooling without normalisation info: what all-MiniLM-L6-v2 and a folder without sentence-transformers files get. */
export const DEFAULT_POOLING: PoolingRecord = { pooling: 'mean', normalize: true };

/**
 * Reads the pooling from `1_Pooling/config.json` and `modules.json` (sentence-transformers' layout, which
 * `docqa import-model` keeps and many hub repositories carry). Either file absent: the default (mean, normalised).
 * A pooling mode this project cannot run (max, mean-sqrt-len, several at once) fails with MODEL_IMPORT_FAILED.
 */
export function readPoolingRecord(folder: string): PoolingRecord {
  const poolingFile = path.join(folder, POOLING_FILE);
  const modulesFile = path.join(folder, MODULES_FILE);
  const pooling = fs.existsSync(poolingFile) ? poolingFromConfig(JSON.parse(fs.readFileSync(poolingFile, 'utf8')), poolingFile) : DEFAULT_POOLING.pooling;
  const normalize = fs.existsSync(modulesFile) ? normalizeFromModules(JSON.parse(fs.readFileSync(modulesFile, 'utf8'))) : DEFAULT_POOLING.normalize;
  return { pooling, normalize };
}

/** The one pooling mode a sentence-transformers Pooling config turns on. */
export function poolingFromConfig(config: Record<string, unknown>, file: string): Pooling {
  const on = Object.entries(config).filter(([key, value]) => key.startsWith('pooling_mode_') && value === true).map(([key]) => key);
  if (on.length === 1 && on[0] === 'pooling_mode_mean_tokens') return 'mean';
  if (on.length === 1 && on[0] === 'pooling_mode_cls_token') return 'cls';
  throw createError('MODEL_IMPORT_FAILED', `${file} asks for pooling ${on.join(' + ') || '(none)'}; only mean or CLS pooling is supported`);
}

function normalizeFromModules(modules: readonly { type?: string }[]): boolean {
  return modules.some((module) => module.type?.endsWith('.Normalize') ?? false);
}
