import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
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

describe('bot process against the fake Discord', () => {
  const DOCS = { 'a.md': '# A\n\nSome document text that is long enough to be a paragraph.' };

  it('a token Discord rejects is one clear line, exit code 1, and the token is not printed', async () => {
    const fake = await FakeDiscord.start();
    try {
      const wrongToken = 'wrong.token-that-must-not-leak-1234567890';
      const env = { ...tinyModelEnv(makeDataDir(DOCS)), DISCORD_TOKEN: wrongToken, DISCORD_API_URL: fake.restApiUrl };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], { env: { PATH: process.env.PATH ?? '', ...env } });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr).toMatch(/ERROR Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal/);
      expect(stderr.trim().split('\n').filter((line) => line.includes('ERROR'))).toHaveLength(1);
      expect(stderr).not.toContain(wrongToken);
    } finally {
      await fake.stop();
    }
  });

  it('SIGTERM stops taking work, disconnects and exits 0', async () => {
    const fake = await FakeDiscord.start();
    fake.addGuild({ id: '100000000000000001', name: 'G', owner_id: '1', roles: [{ id: '100000000000000001', name: '@everyone', permissions: '3072' }], channels: [{ id: '200000000000000001', type: 0, name: 'general' }] });
    try {
      const env = { ...tinyModelEnv(makeDataDir(DOCS)), DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], { env: { PATH: process.env.PATH ?? '', ...env } });
      let stderr = '';
      await new Promise<void>((resolve) => child.stderr.on('data', (chunk) => ((stderr += chunk), /Logged in as/.test(stderr) && resolve())));
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(stderr).toMatch(/SIGTERM: finishing current work and disconnecting/);
      expect(stderr).toMatch(/Stopped\./);
      expect(stderr).not.toContain(fake.token);
    } finally {
      await fake.stop();
    }
  });
});

describe('deploy-commands', () => {
  it('registers every command over REST to the GUILD_ID server, admin commands hidden by default', async () => {
    const fake = await FakeDiscord.start();
    fake.addGuild({ id: '100000000000000001', name: 'G', owner_id: '1', roles: [{ id: '100000000000000001', name: '@everyone', permissions: '3072' }], channels: [{ id: '200000000000000001', type: 0, name: 'general' }] });
    try {
      const env = { PATH: process.env.PATH ?? '', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, GUILD_ID: '100000000000000001' };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/bot/deploy-commands.ts'], { env });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const [code] = await once(child, 'exit');
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/Registered 9 commands in server 100000000000000001/);
      expect(stderr).not.toContain(fake.token);
      const registered = fake.registeredCommands.get('100000000000000001')!;
      expect(registered.map((command) => command.name).sort()).toEqual(['add-document', 'add-source', 'ask', 'reindex', 'remove-document', 'remove-source', 'search', 'sources', 'sync']);
      expect(registered.filter((command) => command.default_member_permissions === '32').map((command) => command.name).sort()).toEqual(['add-document', 'add-source', 'reindex', 'remove-document', 'remove-source', 'sync']);
      expect(fake.hasSession).toBe(false); // REST only: no gateway connection
    } finally {
      await fake.stop();
    }
  });
});
