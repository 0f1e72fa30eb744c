import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';
import { writeTinyCheckpoint } from '../support/make-tiny-bert.ts';

const SAMPLE = fs.readFileSync('index-data/docs/provincial-government-executive-meeting.txt', 'utf8');

/** Runs the real `docqa` binary in a child process, as a user would. */
function docqa(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['src/bin.mjs', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docqa CLI end to end', () => {
  it('ask on a fresh folder builds the index first and prints the answering paragraph with its source', () => {
    const dataDir = makeDataDir({ 'meeting.txt': SAMPLE });
    const { code, stdout, stderr } = docqa(['ask', 'Who presided over the executive meeting?'], tinyModelEnv(dataDir, { SEARCH_MODE: 'keyword' }));
    expect(stderr).toMatch(/Indexed 1 documents/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Question: Who presided over the executive meeting\?  \[mode: keyword\]/);
    // Piped, not a terminal: the answering sentence between plain ** markers.
    expect(stdout).toMatch(/\[1\] meeting › ¶1 {2}\(score 0\.\d{3}\)\n {4}meeting\.txt\n\n {4}\*\*On May 22, Li Lecheng, .*governor, presided over the executive meeting[^*\n]*\*\*/);
    expect(fs.existsSync(path.join(dataDir, 'index', 'manifest.json'))).toBe(true);
  });

  it('ask --json prints exactly the promised shape', () => {
    const dataDir = makeDataDir({ 'meeting.txt': SAMPLE });
    const { code, stdout } = docqa(['ask', '--json', '--k', '2', 'Who presided over the executive meeting?'], tinyModelEnv(dataDir));
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(Object.keys(answer)).toEqual(['question', 'mode', 'answered', 'passages']);
    expect(answer).toMatchObject({ question: 'Who presided over the executive meeting?', mode: 'hybrid', answered: true });
    expect(answer.passages).toHaveLength(2);
    for (const passage of answer.passages) {
      expect(Object.keys(passage)).toEqual(['document', 'title', 'section', 'paragraph', 'score', 'text', 'start', 'end', 'highlights']);
      // The paragraph's place in the document, and its highlights as offsets into its text.
      expect(SAMPLE.slice(passage.start, passage.end).replace(/\s+/g, ' ').trim()).toBe(passage.text.replace(/\s+/g, ' '));
      for (const { start, end } of passage.highlights) expect(0 <= start && start < end && end <= passage.text.length).toBe(true);
    }
    const [best] = answer.passages;
    expect(best.highlights).toHaveLength(1);
    expect(best.text.slice(best.highlights[0].start, best.highlights[0].end)).toMatch(/^On May 22, Li Lecheng, .*presided over the executive meeting/);
  });

  it('index reports what changed, stats describes the index, and an unchanged reindex embeds nothing', () => {
    const dataDir = makeDataDir({ 'meeting.txt': SAMPLE, 'notes.md': '# Notes\n\n## Parking\n\nVisitors park in the east lot behind the main building, free of charge.' });
    const env = tinyModelEnv(dataDir);
    const first = docqa(['index'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Indexed 2 documents, \d+ paragraphs \(full build, mode hybrid\): 2 added, 0 changed, 0 removed, 0 unchanged; \d+ paragraphs embedded/);
    const second = docqa(['index'], env);
    expect(second.stdout).toMatch(/\(incremental, mode hybrid\): 0 added, 0 changed, 0 removed, 2 unchanged; 0 paragraphs embedded/);
    const stats = docqa(['stats', '--json'], env);
    expect(JSON.parse(stats.stdout)).toMatchObject({ mode: 'hybrid', documents: 2, model: expect.stringContaining('test/tiny-bert') });
  });

  it('falls back to keyword mode with a loud warning when the model cannot be loaded', () => {
    const dataDir = makeDataDir({ 'meeting.txt': SAMPLE });
    const { code, stdout, stderr } = docqa(['ask', '--json', 'Who presided over the meeting?'], tinyModelEnv(dataDir, { EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' }));
    expect(code).toBe(0);
    expect(stderr).toMatch(/Cannot load embedding model "Xenova\/all-MiniLM-L6-v2" from .*Xenova\/all-MiniLM-L6-v2: downloads are off/);
    expect(stderr).toMatch(/KEYWORD-ONLY MODE/);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'keyword', answered: true });
  });

  it('uses exit code 2 for bad usage and 1 for failures, with one line and no stack trace', () => {
    const env = tinyModelEnv(makeDataDir({ 'meeting.txt': SAMPLE }));
    for (const args of [[], ['frobnicate'], ['ask'], ['ask', 'a', 'b'], ['ask', '--k', 'many', 'q'], ['ask', '--bogus', 'q']]) {
      const { code, stderr } = docqa(args, env);
      expect(code, args.join(' ')).toBe(2);
      if (args.length > 0) expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const badConfig = docqa(['stats'], { ...env, SEARCH_MODE: 'psychic' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toBe('Error: SEARCH_MODE must be one of hybrid, dense, keyword (got "psychic")\n');
    const emptyQuestion = docqa(['ask', '   '], env);
    expect(emptyQuestion.code).toBe(1);
    expect(emptyQuestion.stderr).toMatch(/Error: Please ask a question: the text was empty\.\n$/);
    expect(emptyQuestion.stderr).not.toMatch(/\n\s+at /);
  });
  it('import-model converts a checkpoint into the models folder, and the model then answers in hybrid mode', () => {
    const dataDir = makeDataDir({ 'meeting.txt': SAMPLE });
    const checkpoint = path.join(dataDir, 'checkpoint');
    writeTinyCheckpoint(checkpoint);
    const env = tinyModelEnv(dataDir, { MODELS_DIR: path.join(dataDir, 'models'), EMBEDDING_MODEL: 'local/tiny' });
    const imported = docqa(['import-model', checkpoint, '--id', 'local/tiny'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^Imported local\/tiny: BERT 2 layers × 32, mean pooling, normalised, 128 tokens; .*\nUse it with EMBEDDING_MODEL=local\/tiny/);
    expect(fs.existsSync(path.join(dataDir, 'models', 'local', 'tiny', 'onnx', 'model_quantized.onnx'))).toBe(true);
    const { code, stdout } = docqa(['ask', '--json', 'Who presided over the executive meeting?'], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'hybrid', answered: true });
    const missing = docqa(['import-model', path.join(dataDir, 'nowhere')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\nError: .*nowhere is not a sentence-transformers checkpoint: missing config\.json, model\.safetensors, .*\n$/);
  });
});
