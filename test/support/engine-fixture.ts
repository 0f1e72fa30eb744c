import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { parseConfig, type EngineConfig } from '../../src/config.ts';
import { Engine, type EngineDependencies } from '../../src/engine/engine.ts';
import { configuredEngineDependencies } from '../../src/engine-wiring.ts';
import { TINY_MODEL_ID } from './global-setup.ts';

/** A fresh data folder with the given documents, and an engine configuration that uses the tiny test model. */
export function makeDataDir(documents: Record<string, string | Uint8Array> = {}): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-data-'));
  writeDocuments(path.join(dataDir, 'docs'), documents);
  return dataDir;
}

export function writeDocuments(folder: string, documents: Record<string, string | Uint8Array>): void {
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(documents)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  }
}

/** The environment a test process (CLI, bot) needs to use the tiny model offline. */
export function tinyModelEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    MODELS_DIR: inject('modelsDir'),
    EMBEDDING_MODEL: TINY_MODEL_ID,
    ALLOW_MODEL_DOWNLOAD: 'false',
    ...extra,
  };
}

export function tinyEngineConfig(dataDir: string, extra: Record<string, string> = {}): EngineConfig {
  return parseConfig(tinyModelEnv(dataDir, extra), dataDir).engine;
}

/** {@link Engine.open} with the configured (tiny) model and the file store, as the entry points wire it. */
export function openEngine(config: EngineConfig, dependencies: Partial<EngineDependencies> = {}): Promise<Engine> {
  return Engine.open(config, { ...configuredEngineDependencies(config), ...dependencies });
}
