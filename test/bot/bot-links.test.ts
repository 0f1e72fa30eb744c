import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

// Issue 10: citations link to the page and section, and quotes keep their formatting without letting a document
// break out of them, as a member sees them in a real reply through the fake Discord.
const GUILD = '100000000000000011';
const TEXT = '200000000000000011';
const MEMBER = { id: '300000000000000011', username: 'member' };
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const BASE = 'https://github.com/org/repo/blob/main/docs/';

const DOCS = {
  'guide/setup.md': [
    '# Setup guide',
    '',
    '## Install the bot',
    '',
    'Install the dependencies with npm, then start the bot process in the background:',
    '',
    '```bash',
    'npm ci',
    'npm start &',
    '```',
  ].join('\n'),
  'hostile.md': [
    '# Hostile',
    '',
    '## Raffle',
    '',
    '- The raffle prize is announced to @everyone and <@123456789012345678> by [the official raffle page](https://evil.example/steal) with ||a secret|| and **loud** text.',
    '- # Not a heading',
    '- > not a quote',
    '- ``` closing fence attempt ``` and `inline <@&42>`',
  ].join('\n'),
  'page.html': '<html><head><link rel="canonical" href="https://example.com/help/tokens"></head><body><h2 id="rotate">Rotate the token</h2><p>Rotate the bot token from the developer portal whenever it may have leaked.</p></body></html>',
};

let fake: FakeDiscord;
let bot: RunningBot;

const command = (name: string, options: { name: string; type: number; value: unknown }[] = []) =>
  fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, memberPermissions: PLAIN, name, options });
const ask = async (question: string) => (await command('ask', [{ name: 'question', type: 3, value: question }, { name: 'count', type: 4, value: 1 }]).callback).data.embeds[0].fields[0].value as string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: MEMBER.id, roles: [{ id: GUILD, name: '@everyone', permissions: PLAIN }], channels: [{ id: TEXT, type: 0, name: 'general' }] });
  const dataDir = makeDataDir(DOCS);
  const env = tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '1000', SEARCH_MODE: 'keyword', DOCS_BASE_URL: BASE });
  bot = await startBot({ config: parseConfig(env, dataDir), logger: createLogger({ level: 'silent', secrets: [fake.token] }) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('links and formatting in real replies', () => {
  it('/ask links the citation to the section on the site, and quotes the code block as a code block, the answering sentence in bold', async () => {
    const value = await ask('How do I install the bot with npm?');
    expect(value.split('\n')).toEqual([
      '> **Install the dependencies with npm, then start the bot process in the background:**',
      '> ```bash',
      '> npm ci',
      '> npm start &',
      '> ```',
      expect.stringMatching(new RegExp(`^— \\[guide/setup\\.md\\]\\(${BASE.replace(/[./]/g, '\\$&')}guide/setup\\.md#install-the-bot\\) · relevance \\d+%$`)),
    ]);
  });

  it("an HTML page's citation links to its canonical URL and the heading's id", async () => {
    expect(await ask('How do I rotate the bot token?')).toMatch(/\n— \[page\.html\]\(https:\/\/example\.com\/help\/tokens#rotate\) · relevance \d+%$/);
  });

  it('a hostile passage cannot leave the quote, mask a link, spoil, head or ping', async () => {
    const value = await ask('Where is the raffle prize announced?');
    const lines = value.split('\n');
    const citation = lines.pop()!;
    expect(citation).toMatch(/^— \[hostile\.md\]\(https:\/\/github\.com\/org\/repo\/blob\/main\/docs\/hostile\.md#raffle\) /);
    for (const line of lines) expect(line.startsWith('> ')).toBe(true);
    const quote = lines.join('\n');
    expect(quote).not.toMatch(/(?<!\\)\[the official raffle page(?<!\\)\]\(/);
    expect(quote).toContain('\\[the official raffle page\\](https://evil.example/steal)');
    expect(quote).toContain('\\|\\|a secret\\|\\|');
    expect(quote).toContain('> - \\# Not a heading');
    expect(quote).toContain('> - \\> not a quote');
    expect(quote).toContain('> - ` closing fence attempt ` and `inline <\u200b@&42>`');
    expect(quote).not.toMatch(/@everyone|<@\d|<@&\d/);
    expect(quote).not.toContain('```');
  });

  it('/sources links each document to where it is published', async () => {
    const description = (await command('sources').callback).data.embeds[0].description as string;
    expect(description).toContain(`— [guide/setup.md](${BASE}guide/setup.md), `);
    expect(description).toContain('— [page.html](https://example.com/help/tokens), ');
  });
});
