import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const SAMPLE = fs.readFileSync('index-data/docs/provincial-government-executive-meeting.txt', 'utf8');
/** C0 (tab and line feed aside), DEL, C1 and bidi controls: none may reach a terminal. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('docqa CLI output (issue 15.9)', () => {
  it('prints no control character from a document: not its file name, title or text', () => {
    const name = '\x1b[31mred\x1b[0m\u202Etxt.exe.md';
    const content = `# Minutes \x1b]0;pwned\x07\n\n${SAMPLE.replace('presided', '\x1b[2Jpresided')}`;
    const dataDir = makeDataDir({ [name]: content });
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...tinyModelEnv(dataDir, { SEARCH_MODE: 'keyword' }) };
    const run = (args: string[]) => spawnSync(process.execPath, ['src/bin.mjs', ...args], { env, encoding: 'utf8', timeout: 60_000 });

    const ask = run(['ask', 'Who presided over the executive meeting?']);
    const stats = run(['stats']);

    expect(ask.status).toBe(0);
    expect(ask.stdout).toContain('redtxt.exe.md');
    expect(ask.stdout).toMatch(/presided over the executive meeting/);
    for (const output of [ask.stdout, ask.stderr, stats.stdout, stats.stderr]) expect(output).not.toMatch(CONTROL);
  });
});
