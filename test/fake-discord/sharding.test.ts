import { once } from 'node:events';
import { ChannelType, Client, Events, GatewayIntentBits, PermissionFlagsBits, type ChatInputCommandInteraction, type Message } from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, type FakeGuild } from './fake-discord.ts';

/** (id >> 22) % 2: GUILD_A is shard 0's, GUILD_B shard 1's. */
const GUILD_A = '100000000000000001';
const GUILD_B = '100000000004194305';
const MEMBER = { id: '400000000000000001', username: 'member' };
const EVENT_TIMEOUT = () => ({ signal: AbortSignal.timeout(5000) });

function guild(id: string, channel: string): FakeGuild {
  const everyone = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
  return { id, name: `Guild ${id}`, owner_id: '400000000000000009', roles: [{ id, name: '@everyone', permissions: everyone }], channels: [{ id: channel, type: ChannelType.GuildText, name: 'general' }] };
}

async function shardClient(fake: FakeDiscord, options: { shards: number[] | 'auto'; shardCount?: number }) {
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: fake.restApiUrl }, ...options });
  onTestFinished(() => client.destroy());
  const ready = once(client, Events.ClientReady, EVENT_TIMEOUT());
  await client.login(fake.token);
  await ready;
  return client;
}

describe('fake Discord sharding', () => {
  it('sends each guild\'s GUILD_CREATE, interactions and messages only to the shard that owns it', async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    fake.addGuild(guild(GUILD_A, '200000000000000001'));
    fake.addGuild(guild(GUILD_B, '200000000000000002'));
    const zero = await shardClient(fake, { shards: [0], shardCount: 2 });
    const one = await shardClient(fake, { shards: [1], shardCount: 2 });
    expect([...zero.guilds.cache.keys()]).toEqual([GUILD_A]);
    expect([...one.guilds.cache.keys()]).toEqual([GUILD_B]);

    const seen: string[] = [];
    for (const [name, client] of [['zero', zero], ['one', one]] as const) {
      client.on(Events.InteractionCreate, (interaction) => {
        seen.push(`${name}:${interaction.guildId}`);
        void (interaction as ChatInputCommandInteraction).reply('ok');
      });
      client.on(Events.MessageCreate, (message: Message) => void (message.author.bot || seen.push(`${name}:message:${message.guildId}`)));
    }
    await fake.sendCommand({ guildId: GUILD_B, channelId: '200000000000000002', user: MEMBER, name: 'ping' }).callback;
    await fake.sendCommand({ guildId: GUILD_A, channelId: '200000000000000001', user: MEMBER, name: 'ping' }).callback;
    const messageSeen = new Promise<void>((resolve) => zero.on(Events.MessageCreate, (message) => message.author.bot || resolve()));
    fake.sendMessage({ guildId: GUILD_A, channelId: '200000000000000001', author: MEMBER, content: 'hello' });
    await messageSeen;
    expect(seen).toEqual([`one:${GUILD_B}`, `zero:${GUILD_A}`, `zero:message:${GUILD_A}`]);

    // A guild joined while both are connected: only its shard hears of it.
    const GUILD_C = '100000000008388609'; // (id >> 22) % 2 = 0
    const created = once(zero, Events.GuildCreate, EVENT_TIMEOUT());
    fake.addGuild(guild(GUILD_C, '200000000000000003'));
    await created;
    expect(one.guilds.cache.has(GUILD_C)).toBe(false);
  });

  it('recommends its shard count in GET /gateway/bot, which shards: "auto" follows', async () => {
    const fake = await FakeDiscord.start({ recommendedShards: 2 });
    onTestFinished(() => fake.stop());
    fake.addGuild(guild(GUILD_A, '200000000000000001'));
    fake.addGuild(guild(GUILD_B, '200000000000000002'));
    const client = await shardClient(fake, { shards: 'auto' });
    expect([...client.ws.shards.keys()].sort()).toEqual([0, 1]);
    expect(client.guilds.cache.get(GUILD_A)?.shardId).toBe(0);
    expect(client.guilds.cache.get(GUILD_B)?.shardId).toBe(1);
  });

  it('closes an IDENTIFY with an impossible shard with 4010', async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    socket.once('message', () => socket.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [2, 2] } })));
    const [code] = await once(socket, 'close', EVENT_TIMEOUT());
    expect(code).toBe(4010);
  });
});
