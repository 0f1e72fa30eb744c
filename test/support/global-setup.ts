import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeTinyBert } from './make-tiny-bert.ts';

/**
 * Generates the tiny test model once per run. Tests load it through the real transformers.js path from
 * `<modelsDir>/test/tiny-bert`, exactly as a downloaded hub model would be found.
 */
export default function setup(project: TestProject) {
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-models-'));
  writeTinyBert(path.join(modelsDir, TINY_MODEL_ID));
  project.provide('modelsDir', modelsDir);
  return () => fs.rmSync(modelsDir, { recursive: true, force: true });
}

export const TINY_MODEL_ID = 'test/tiny-bert';

declare module 'vitest' {
  export interface ProvidedContext {
    modelsDir: string;
  }
}
