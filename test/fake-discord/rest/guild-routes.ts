/**
 * Guilds and users as REST returns them: the guild, its channels, a member, a user. Members are those the fake has
 * seen (the bot, and everyone who sent an interaction or a message).
 *
 * @see https://discord.com/developers/docs/resources/guild
 */
import type { FakeBackend } from '../backend.ts';
import { channelPayload, guildPayload, isThread, memberPayload, userPayload } from '../payloads/resources.ts';
import type { GuildState } from '../state/world.ts';
import { apiError, route, type RestRequest, type RestResponse, type Route } from './router.ts';

export function guildRoutes(backend: FakeBackend): Route[] {
  const inGuild = (handler: (guild: GuildState, request: RestRequest) => RestResponse) => (request: RestRequest) => {
    const guild = backend.world.guild(request.params.guildId!);
    return guild ? handler(guild, request) : apiError('unknownGuild');
  };
  return [
    route('GET', '/guilds/:guildId', inGuild((guild) => ({ status: 200, body: guildPayload(guild, backend.world) }))),
    route(
      'GET',
      '/guilds/:guildId/channels',
      inGuild((guild) => {
        const channels = backend.world.channelsOf(guild.guild.id).filter((entry) => !isThread(entry.channel.type));
        return { status: 200, body: channels.map((entry, position) => channelPayload(entry, position)) };
      }),
    ),
    route(
      'GET',
      '/guilds/:guildId/members/:userId',
      inGuild((guild, request) => {
        const user = backend.world.user(request.params.userId!);
        const roles = user && backend.world.memberRoles(guild.guild.id, user.id);
        return user && roles ? { status: 200, body: memberPayload(user, roles, guild.joinedAt) } : apiError('unknownMember');
      }),
    ),
    route('GET', '/users/:userId', (request) => {
      const user = backend.world.user(request.params.userId!);
      return user ? { status: 200, body: userPayload(user) } : apiError('unknownUser');
    }),
  ];
}
