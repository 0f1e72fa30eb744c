import { afterEach, describe, expect, it } from 'vitest';
import type { ReindexProgress } from '../../src/engine/types.ts';
import { EngineHost } from '../../src/engine/host/engine-host.ts';
import { isAppError } from '../../src/errors.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { makeDataDir, tinyEngineConfig } from '../support/engine-fixture.ts';

const FERRY = { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.' };
let host: EngineHost | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('the engine in its own process', () => {
  it('answers, reports reindex progress, keeps coded errors coded, and logs through the given logger', async () => {
    const lines: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (line) => lines.push(line) };
    host = await EngineHost.start({ config: tinyEngineConfig(makeDataDir({ ...FERRY, 'empty.txt': ' ' }), { SEARCH_MODE: 'keyword' }), logger });
    const progress: ReindexProgress['phase'][] = [];
    const report = await host.reindex((update) => progress.push(update.phase));
    expect(report.added).toBe(1);
    expect(progress).toContain('done');
    expect(lines.some((line) => /Skipped .*empty\.txt: empty file/.test(line))).toBe(true);
    expect((await host.ask('When does the ferry leave the harbour?')).passages[0]!.document).toBe('ferry.md');
    expect((await host.listDocuments()).map((document) => document.path)).toEqual(['ferry.md']);
    const error = await host.ask('   ').catch((caught: unknown) => caught);
    expect(isAppError(error, 'EMPTY_QUESTION')).toBe(true);
  });

  it('when the process dies, its pending call fails and the next call starts a new one', async () => {
    host = await EngineHost.start({ config: tinyEngineConfig(makeDataDir(FERRY), { SEARCH_MODE: 'keyword' }), logger: silentLogger });
    await host.reindex();
    const pending = host.reindex();
    process.kill(await host.processId(), 'SIGKILL');
    await expect(pending).rejects.toThrow(/the engine process exited \(SIGKILL\)/);
    expect((await host.ask('When does the ferry leave the harbour?')).answered).toBe(true);
  });

  it('embeds questions for grouping with the loaded model, and says null in keyword mode', async () => {
    host = await EngineHost.start({ config: tinyEngineConfig(makeDataDir(FERRY), { SEARCH_MODE: 'hybrid' }), logger: silentLogger });
    const vectors = await host.embedQuestions(['When does the ferry leave?', 'ferry timetable']);
    expect(vectors).toHaveLength(2);
    const dimension = (await host.stats()).dimension!;
    for (const vector of vectors!) {
      expect(vector).toHaveLength(dimension);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 3);
    }
    await host.close();
    host = await EngineHost.start({ config: tinyEngineConfig(makeDataDir(FERRY), { SEARCH_MODE: 'keyword' }), logger: silentLogger });
    expect(await host.embedQuestions(['When does the ferry leave?'])).toBeNull();
  });
});
