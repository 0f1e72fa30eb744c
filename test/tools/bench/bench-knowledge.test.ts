import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeDataDir } from '../../support/engine-fixture.ts';

function docqa(args: string[]) {
  const result = spawnSync(process.execPath, ['src/bin.mjs', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: makeDataDir(), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docqa bench-knowledge', () => {
  it('times every step of /stats and /unanswered on a generated log, with the machine', () => {
    const { code, stdout, stderr } = docqa(['bench-knowledge', '--questions', '300', '--days', '10', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { questions: number; unanswered: number; machine: { cores: number }; rows: { step: string; ms: number; cpuMs: number }[] };
    expect(report.questions).toBe(300);
    expect(report.unanswered).toBeGreaterThan(0);
    expect(report.rows.map((row) => row.step)).toEqual([
      '/stats 30 days: queries',
      '/stats 10 days: queries',
      '/stats: threshold suggestion',
      '/stats: chart (PNG)',
      '/unanswered 30 days: keywords',
      '/unanswered 10 days: keywords',
      '/unanswered 10 days: embeddings (clustering only)',
    ]);
    expect(report.machine.cores).toBeGreaterThan(0);
  });

  it('refuses a count that is not a whole number', () => {
    expect(docqa(['bench-knowledge', '--questions', 'many'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--questions must be a whole number/) });
  });
});
