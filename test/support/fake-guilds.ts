import type { FakeDiscord } from '../fake-discord/fake-discord.ts';

/**
 * Adds servers to the fake, each with its text channels (named `chan-<last digit>`) and an @everyone role with
 * `everyonePermissions`, all owned by `ownerId`.
 */
export function addGuilds(fake: FakeDiscord, guilds: Readonly<Record<string, readonly string[]>>, ownerId: string, everyonePermissions: string): void {
  for (const [id, channels] of Object.entries(guilds)) {
    fake.addGuild({
      id,
      name: `Guild ${id.slice(-1)}`,
      owner_id: ownerId,
      roles: [{ id, name: '@everyone', permissions: everyonePermissions }],
      channels: channels.map((channel) => ({ id: channel, type: 0, name: `chan-${channel.slice(-1)}` })),
    });
  }
}
