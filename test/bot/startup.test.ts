import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

function startBotProcess(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('bot start-up without a usable token', () => {
  it('a missing DISCORD_TOKEN is one clear line and exit code 1', () => {
    const result = startBotProcess(tinyModelEnv(makeDataDir({ 'a.md': '# A\n\nSome document text that is long enough.' })));
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ERROR DISCORD_TOKEN is not set: copy \.env\.example to \.env/);
  });

  it('a bad setting names the variable', () => {
    const result = startBotProcess({ ...tinyModelEnv(makeDataDir()), DISCORD_TOKEN: 'x'.repeat(30), RATE_LIMIT_PER_MINUTE: 'lots' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: RATE_LIMIT_PER_MINUTE must be a number from 0 to 10000 (got "lots")\n');
  });
});
