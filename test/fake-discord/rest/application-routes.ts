/**
 * Routes about the bot itself: the gateway to connect to, its user and application, and its registered commands
 * (global, or per guild), which are validated as Discord validates them.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#registering-a-command
 */
import { ApplicationCommandType, ApplicationIntegrationType, type APIApplicationCommand } from 'discord.js';
import type { FakeBackend } from '../backend.ts';
import { applicationPayload, gatewayBotPayload, userPayload } from '../payloads/resources.ts';
import { commandErrors } from './command-validation.ts';
import { invalidFormBody } from './message-limits.ts';
import { apiError, route, type RestRequest, type RestResponse, type Route } from './router.ts';

export function applicationRoutes(backend: FakeBackend): Route[] {
  const commands = (handler: (scope: string, request: RestRequest) => RestResponse) => (request: RestRequest) => {
    const { applicationId, guildId } = request.params;
    if (applicationId !== backend.applicationId || (guildId !== undefined && !backend.world.guild(guildId))) return apiError('missingAccess');
    return handler(guildId ?? 'global', request);
  };
  const list = commands((scope) => ({ status: 200, body: backend.commands.get(scope) ?? [] }));
  const overwrite = commands((scope, request) => overwriteCommands(backend, scope, request.body));
  const upsert = commands((scope, request) => upsertCommand(backend, scope, request.body));
  return [
    route('GET', '/gateway/bot', () => ({ status: 200, body: gatewayBotPayload(backend.gatewayUrl, backend.options.recommendedShards) })),
    route('GET', '/gateway', () => ({ status: 200, body: { url: backend.gatewayUrl } }), 'none'),
    route('GET', '/users/@me', () => ({ status: 200, body: { ...userPayload(backend.world.bot), verified: true, mfa_enabled: false } })),
    route('GET', '/applications/@me', () => ({ status: 200, body: applicationPayload(backend.applicationId, backend.world.bot) })),
    route('GET', '/oauth2/applications/@me', () => ({ status: 200, body: applicationPayload(backend.applicationId, backend.world.bot) })),
    route('GET', '/applications/:applicationId/commands', list),
    route('PUT', '/applications/:applicationId/commands', overwrite),
    route('POST', '/applications/:applicationId/commands', upsert),
    route('GET', '/applications/:applicationId/guilds/:guildId/commands', list),
    route('PUT', '/applications/:applicationId/guilds/:guildId/commands', overwrite),
    route('POST', '/applications/:applicationId/guilds/:guildId/commands', upsert),
  ];
}

/** Bulk overwrite: the scope's commands become exactly these; a command keeps its id when its name is kept. */
function overwriteCommands(backend: FakeBackend, scope: string, body: unknown): RestResponse {
  const errors = commandErrors(body);
  if (errors.length > 0) return invalidFormBody(errors);
  const previous = backend.commands.get(scope) ?? [];
  const registered = (body as any[]).map((definition) => registeredCommand(backend, scope, definition, previous));
  backend.commands.set(scope, registered);
  return { status: 200, body: registered };
}

/** Create one command, or replace the one with the same name and type. */
function upsertCommand(backend: FakeBackend, scope: string, body: any): RestResponse {
  const errors = commandErrors([body]);
  if (errors.length > 0) return invalidFormBody(errors.map((error) => ({ ...error, path: error.path.replace(/^0\./, '') })));
  const previous = backend.commands.get(scope) ?? [];
  const command = registeredCommand(backend, scope, body, previous);
  backend.commands.set(scope, [...previous.filter((existing) => existing.id !== command.id), command]);
  return { status: previous.some((existing) => existing.id === command.id) ? 200 : 201, body: command };
}

function registeredCommand(backend: FakeBackend, scope: string, definition: any, previous: readonly APIApplicationCommand[]): APIApplicationCommand {
  const type = definition.type ?? ApplicationCommandType.ChatInput;
  const id = previous.find((existing) => existing.name === definition.name && existing.type === type)?.id ?? backend.ids.next();
  return {
    id,
    application_id: backend.applicationId,
    version: backend.ids.next(),
    type,
    name: definition.name,
    name_localizations: definition.name_localizations ?? null,
    description: definition.description ?? '',
    description_localizations: definition.description_localizations ?? null,
    ...(definition.options ? { options: definition.options } : {}),
    default_member_permissions: definition.default_member_permissions ?? null,
    nsfw: definition.nsfw ?? false,
    integration_types: definition.integration_types ?? [ApplicationIntegrationType.GuildInstall],
    contexts: definition.contexts ?? null,
    ...(scope === 'global' ? {} : { guild_id: scope }),
  };
}
