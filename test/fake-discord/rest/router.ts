import type http from 'node:http';
import type { RecordedFile, RecordedRequest } from '../types.ts';
import { readBody } from './http-body.ts';

/** A REST request once parsed, as route handlers see it. */
export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: any;
  readonly files: readonly RecordedFile[];
  readonly receivedAt: number;
}

/** What a handler answers: a status, and a JSON body unless the status is 204. */
export interface RestResponse {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * One REST route. `auth: 'bot'` routes need `Authorization: Bot <token>`; `'none'` routes do not (interaction
 * callbacks and webhooks are authenticated by the token in their path, and discord.js calls them without the header).
 * A wrong token is refused on every route.
 */
export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly auth: 'bot' | 'none';
  readonly handle: (request: RestRequest) => RestResponse;
}

/** Declares a route; `pattern` names path parameters with a colon, like `/channels/:channelId/messages`. */
export function route(method: string, pattern: string, handle: Route['handle'], auth: Route['auth'] = 'bot'): Route {
  return { method, pattern, auth, handle };
}

/** The errors the fake answers with, by name: HTTP status, Discord's JSON error code, and its message. */
const API_ERRORS = {
  unauthorized: [401, 0, '401: Unauthorized'],
  missingAccess: [403, 50001, 'Missing Access'],
  missingPermissions: [403, 50013, 'Missing Permissions'],
  cannotEditOthersMessage: [403, 50005, 'Cannot edit a message authored by another user'],
  unknownRoute: [404, 0, 'Unknown route'],
  unknownChannel: [404, 10003, 'Unknown Channel'],
  unknownGuild: [404, 10004, 'Unknown Guild'],
  unknownMember: [404, 10007, 'Unknown Member'],
  unknownMessage: [404, 10008, 'Unknown Message'],
  unknownUser: [404, 10013, 'Unknown User'],
  unknownWebhook: [404, 10015, 'Unknown Webhook'],
  unknownInteraction: [404, 10062, 'Unknown interaction'],
  emptyMessage: [400, 50006, 'Cannot send an empty message'],
  nonTextChannel: [400, 50008, 'Cannot send messages in a non-text channel'],
  invalidChannelType: [400, 50024, 'Cannot execute action on this channel type'],
  invalidFormBody: [400, 50035, 'Invalid Form Body'],
  alreadyAcknowledged: [400, 40060, 'Interaction has already been acknowledged.'],
  threadAlreadyCreated: [400, 160004, 'A thread has already been created for this message'],
} as const satisfies Record<string, readonly [number, number, string]>;

/** The names of the errors the fake can answer with. */
export type ApiErrorName = keyof typeof API_ERRORS;

/**
 * An error response shaped like Discord's: `{ code, message }`, plus `errors` for Invalid Form Body.
 *
 * @see https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
 */
export function apiError(name: ApiErrorName, errors?: unknown): RestResponse {
  const [status, code, message] = API_ERRORS[name];
  return { status, body: { message, code, ...(errors === undefined ? {} : { errors }) } };
}

/** Matches requests to routes, checks authentication, records every request, and writes JSON responses. */
export class RestRouter {
  private readonly compiled: { readonly route: Route; readonly regex: RegExp; readonly names: string[] }[];

  constructor(
    routes: readonly Route[],
    private readonly token: string,
    private readonly record: (request: RecordedRequest) => void,
  ) {
    this.compiled = routes.map((candidate) => {
      const names: string[] = [];
      const source = candidate.pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'));
      return { route: candidate, regex: new RegExp(`^${source}$`), names };
    });
  }

  /** Handles a request whose path is already stripped of `/api` and `/v10`. */
  async handle(request: http.IncomingMessage, response: http.ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const receivedAt = performance.now();
    const method = request.method ?? 'GET';
    const { json, files } = await readBody(request);
    const match = this.match(method, path);
    const recorded: RecordedRequest = { method, path, query, body: json, files, receivedAt, route: match && `${match.route.method} ${match.route.pattern}` };
    this.record(recorded);

    const answer = this.answerSafely(request, match, { method, path, params: match?.params ?? {}, query, body: json, files, receivedAt });
    recorded.status = answer.status;
    const payload = answer.status === 204 || answer.body === undefined ? undefined : JSON.stringify(answer.body);
    response.writeHead(answer.status, payload === undefined ? {} : { 'content-type': 'application/json' });
    response.end(payload);
  }

  /** A bug in a handler (or a body it cannot read) answers 500 with the reason, instead of hanging the request. */
  private answerSafely(request: http.IncomingMessage, match: ReturnType<RestRouter['match']>, parsed: RestRequest): RestResponse {
    try {
      return this.answer(request, match, parsed);
    } catch (error) {
      return { status: 500, body: { message: `fake Discord failed: ${error instanceof Error ? error.message : String(error)}`, code: 0 } };
    }
  }

  private answer(request: http.IncomingMessage, match: ReturnType<RestRouter['match']>, parsed: RestRequest): RestResponse {
    const authorization = request.headers.authorization;
    if (authorization !== undefined && authorization !== `Bot ${this.token}`) return apiError('unauthorized');
    if (!match) return apiError('unknownRoute');
    if (match.route.auth === 'bot' && authorization === undefined) return apiError('unauthorized');
    return match.route.handle(parsed);
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const { route: candidate, regex, names } of this.compiled) {
      const found = candidate.method === method ? regex.exec(path) : null;
      if (found) return { route: candidate, params: Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)])) };
    }
    return undefined;
  }
}
