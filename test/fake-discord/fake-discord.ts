import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseBody } from './http-body.ts';
import {
  channelPayload,
  guildCreatePayload,
  memberPayload,
  sentMessagePayload,
  snowflake,
  userPayload,
  type FakeGuild,
  type FakeUser,
} from './payloads.ts';

export type { FakeGuild, FakeUser } from './payloads.ts';

/** One REST call the bot made. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: any;
  readonly receivedAt: number;
  /** The status the fake answered with. */
  status?: number;
}

/** A message the bot posted in a channel (a reply, a thread message...). */
export interface RecordedMessage {
  readonly channelId: string;
  readonly body: any;
  readonly receivedAt: number;
}

/** What the bot sent in answer to one interaction. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** performance.now() when the INTERACTION_CREATE dispatch was written to the socket. */
  readonly dispatchedAt: number;
  /** The interaction callback (`POST /interactions/{id}/{token}/callback`). */
  readonly callback: Promise<{ type: number; data: any; receivedAt: number }>;
  /** The next edit of the original response, in order (edits are queued, none is lost). */
  nextEdit(timeoutMs?: number): Promise<{ data: any; receivedAt: number }>;
  /** The next follow-up message, in order. */
  nextFollowUp(timeoutMs?: number): Promise<{ data: any; receivedAt: number }>;
}

interface CommandOption {
  readonly name: string;
  readonly type: number;
  readonly value?: unknown;
  readonly focused?: boolean;
}

interface InteractionTarget {
  readonly guildId: string;
  readonly channelId: string;
  readonly user: FakeUser;
  /** The member's permissions in the channel, as Discord computes them (a bitfield string). */
  readonly memberPermissions?: string;
  readonly memberRoles?: readonly string[];
}

/** A FIFO whose readers wait for the next item. */
class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(timeoutMs: number, what: string): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`fake Discord: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (value: T) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(waiter);
    });
  }
}

interface HandleState {
  resolveCallback(value: { type: number; data: any; receivedAt: number }): void;
  edits: Queue<{ data: any; receivedAt: number }>;
  followUps: Queue<{ data: any; receivedAt: number }>;
  channelId: string;
  guildId: string;
}

/**
 * A local stand-in for Discord: a REST API (`/api/v10/...`), a WebSocket gateway and a CDN on 127.0.0.1, speaking
 * enough of the real protocol for the real discord.js `Client` to log in, receive guilds, interactions and
 * messages, and answer them. Tests drive it (send interactions, messages) and observe what the bot sent.
 *
 * @see https://discord.com/developers/docs/topics/gateway
 */
export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly registeredCommands = new Map<string, unknown[]>();
  private readonly guilds: FakeGuild[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly identified = new Set<WebSocket>();
  private readonly handles = new Map<string, HandleState>();
  private readonly messages: RecordedMessage[] = [];
  private readonly messageWaiters: { predicate: (message: RecordedMessage) => boolean; resolve: (message: RecordedMessage) => void }[] = [];
  private readonly attachments = new Map<string, { body: Buffer; fileName: string; fail: boolean; contentType: string }>();
  private readonly threads = new Map<string, { guildId: string; parentId: string }>();
  private gatewaySequence = 0;

  private constructor(
    readonly token: string,
    readonly applicationId: string,
    readonly botUserId: string,
    private readonly server: http.Server,
    private readonly gateway: WebSocketServer,
  ) {}

  /** Starts the fake on random loopback ports. */
  static async start(options: { token?: string; applicationId?: string; botUserId?: string } = {}): Promise<FakeDiscord> {
    const server = http.createServer();
    const gateway = new WebSocketServer({ server, path: '/gateway' });
    const botUserId = options.botUserId ?? '500000000000000001';
    const fake = new FakeDiscord(options.token ?? `fake.${snowflake()}.token-secret`, options.applicationId ?? botUserId, botUserId, server, gateway);
    server.on('request', (request, response) => void fake.handleHttp(request, response));
    gateway.on('connection', (socket) => fake.handleSocket(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  private get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The REST base URL to give discord.js as `rest.api`. */
  get restApiUrl(): string {
    return `${this.origin}/api`;
  }

  private get bot(): FakeUser {
    return { id: this.botUserId, username: 'docqa' };
  }

  /** Adds a guild the bot is in; sent as GUILD_CREATE at login, or at once if already connected. */
  addGuild(guild: FakeGuild): void {
    this.guilds.push(guild);
    for (const socket of this.identified) this.dispatch(socket, 'GUILD_CREATE', guildCreatePayload(guild, this.bot));
  }

  /** Serves a file on the fake CDN; `fail` makes its download fail (HTTP 500). */
  addAttachment(fileName: string, body: Buffer | string, options: { fail?: boolean; contentType?: string } = {}) {
    const id = snowflake();
    const bytes = Buffer.from(body);
    this.attachments.set(id, { body: bytes, fileName, fail: options.fail ?? false, contentType: options.contentType ?? 'text/plain; charset=utf-8' });
    const url = `${this.origin}/cdn/attachments/${id}/${encodeURIComponent(fileName)}`;
    return { id, filename: fileName, size: bytes.length, url, proxy_url: url, content_type: options.contentType ?? 'text/plain; charset=utf-8' };
  }

  /** Dispatches a slash command (INTERACTION_CREATE, type 2). Attachment options (type 11) resolve by id. */
  sendCommand(options: InteractionTarget & { name: string; options?: readonly CommandOption[]; commandId?: string }): InteractionHandle {
    const attachments = Object.fromEntries(
      (options.options ?? [])
        .filter((option) => option.type === 11 && this.attachments.has(String(option.value)))
        .map((option) => {
          const file = this.attachments.get(String(option.value))!;
          const url = `${this.origin}/cdn/attachments/${option.value}/${encodeURIComponent(file.fileName)}`;
          return [option.value, { id: option.value, filename: file.fileName, size: file.body.length, url, proxy_url: url, content_type: file.contentType }];
        }),
    );
    return this.sendInteraction(options, 2, {
      id: options.commandId ?? snowflake(),
      name: options.name,
      type: 1,
      options: options.options ?? [],
      ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
    });
  }

  /** Dispatches a button click (INTERACTION_CREATE, type 3) on a message the bot sent. */
  sendButton(options: InteractionTarget & { customId: string; messageId?: string }): InteractionHandle {
    const message = sentMessagePayload(options.channelId, {}, this.bot, options.guildId);
    return this.sendInteraction(options, 3, { custom_id: options.customId, component_type: 2 }, { message: { ...message, id: options.messageId ?? message.id } });
  }

  /** Dispatches an autocomplete request (INTERACTION_CREATE, type 4); mark one option `focused: true`. */
  sendAutocomplete(options: InteractionTarget & { name: string; options: readonly CommandOption[] }): InteractionHandle {
    return this.sendInteraction(options, 4, { id: snowflake(), name: options.name, type: 1, options: options.options });
  }

  /** Dispatches MESSAGE_CREATE from a member. */
  sendMessage(options: { guildId: string; channelId: string; author: FakeUser; content: string; mentions?: readonly FakeUser[] }): { id: string } {
    const id = snowflake();
    this.broadcast('MESSAGE_CREATE', {
      id,
      channel_id: options.channelId,
      guild_id: options.guildId,
      author: userPayload(options.author),
      member: memberPayload(options.author),
      content: options.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: (options.mentions ?? []).map((user) => ({ ...userPayload(user, user.id === this.botUserId), member: memberPayload(user) })),
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
    });
    return { id };
  }

  /** Resolves with the first message the bot posts (or has posted, unclaimed) that matches. */
  waitForChannelMessage(predicate: (message: RecordedMessage) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedMessage> {
    const index = this.messages.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.messages.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (message: RecordedMessage) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.messageWaiters.splice(this.messageWaiters.indexOf(waiter), 1);
        reject(new Error(`fake Discord: no matching channel message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.messageWaiters.push(waiter);
    });
  }

  /** Closes every socket and the servers. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sendInteraction(target: InteractionTarget, type: number, data: unknown, extra: Record<string, unknown> = {}): InteractionHandle {
    const id = snowflake();
    const token = `itoken-${id}`;
    let resolveCallback!: HandleState['resolveCallback'];
    const callback = new Promise<{ type: number; data: any; receivedAt: number }>((resolve) => (resolveCallback = resolve));
    const state: HandleState = { resolveCallback, edits: new Queue(), followUps: new Queue(), channelId: target.channelId, guildId: target.guildId };
    this.handles.set(token, state);
    const channel = this.findChannel(target.channelId);
    const dispatchedAt = this.broadcast('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type,
      data,
      guild_id: target.guildId,
      guild: { id: target.guildId, locale: 'en-US', features: [] },
      channel_id: target.channelId,
      channel: channel ? channelPayload(channel, target.guildId) : { id: target.channelId, type: 0 },
      member: memberPayload(target.user, target.memberRoles, target.memberPermissions ?? '3072'),
      token,
      version: 1,
      app_permissions: '2251799813685247',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': target.guildId },
      context: 0,
      attachment_size_limit: 10485760,
      ...extra,
    });
    return {
      id,
      token,
      dispatchedAt,
      callback,
      nextEdit: (timeoutMs = 10_000) => state.edits.next(timeoutMs, 'edit of the original response'),
      nextFollowUp: (timeoutMs = 10_000) => state.followUps.next(timeoutMs, 'follow-up message'),
    };
  }

  private findChannel(channelId: string) {
    for (const guild of this.guilds) {
      const channel = guild.channels.find((candidate) => candidate.id === channelId);
      if (channel) return channel;
    }
    return undefined;
  }

  private guildOfChannel(channelId: string): string | undefined {
    return this.guilds.find((guild) => guild.channels.some((channel) => channel.id === channelId))?.id ?? this.threads.get(channelId)?.guildId;
  }

  // ---- gateway ------------------------------------------------------------------------------------------------

  private handleSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.identified.delete(socket);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: any };
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (payload.op === 2 || payload.op === 6) this.identify(socket, String(payload.d?.token ?? ''));
    });
  }

  private identify(socket: WebSocket, token: string): void {
    if (token.replace(/^Bot /, '') !== this.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    this.identified.add(socket);
    this.dispatch(socket, 'READY', {
      v: 10,
      user: { ...userPayload(this.bot, true), verified: true, mfa_enabled: false, flags: 0 },
      guilds: this.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: `session-${snowflake()}`,
      resume_gateway_url: this.origin.replace('http', 'ws') + '/gateway',
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
    });
    for (const guild of this.guilds) this.dispatch(socket, 'GUILD_CREATE', guildCreatePayload(guild, this.bot));
  }

  private dispatch(socket: WebSocket, event: string, data: unknown): void {
    socket.send(JSON.stringify({ op: 0, t: event, s: ++this.gatewaySequence, d: data }));
  }

  /** Sends a dispatch to every logged-in client; returns when it was written. */
  private broadcast(event: string, data: unknown): number {
    const at = performance.now();
    for (const socket of this.identified) this.dispatch(socket, event, data);
    return at;
  }

  // ---- REST and CDN -------------------------------------------------------------------------------------------

  private async handleHttp(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const receivedAt = performance.now();
    let recorded: RecordedRequest | undefined;
    const send = (status: number, body?: unknown) => {
      if (recorded) recorded.status = status;
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };

    const cdn = /^\/cdn\/attachments\/(\d+)\//.exec(url.pathname);
    if (cdn) {
      const file = this.attachments.get(cdn[1]!);
      if (!file || file.fail) return send(file ? 500 : 404, { message: 'CDN error' });
      response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length });
      response.end(file.body);
      return;
    }

    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const method = request.method ?? 'GET';
    const body = await parseBody(request);
    recorded = { method, path, query: url.searchParams, body, receivedAt };
    this.requests.push(recorded);

    // Interaction callbacks and webhooks authenticate with the interaction token in the path, not the bot token.
    const tokenRoute = /^\/(interactions|webhooks)\//.test(path);
    if (!tokenRoute && request.headers.authorization !== `Bot ${this.token}`) {
      return send(401, { message: '401: Unauthorized', code: 0 });
    }
    const route = `${method} ${path}`;
    let match: RegExpExecArray | null;

    if (route === 'GET /gateway/bot') {
      return send(200, { url: this.origin.replace('http', 'ws') + '/gateway', shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (route === 'GET /users/@me') return send(200, userPayload(this.bot, true));
    if (route === 'GET /applications/@me' || route === 'GET /oauth2/applications/@me') {
      return send(200, { id: this.applicationId, name: 'docqa', icon: null, description: '', bot_public: true, bot_require_code_grant: false, flags: 0, verify_key: 'x' });
    }
    if ((match = /^POST \/interactions\/(\d+)\/([^/]+)\/callback$/.exec(route))) {
      const state = this.handles.get(match[2]!);
      if (!state) return send(404, { message: 'Unknown interaction', code: 10062 });
      state.resolveCallback({ type: body.type, data: body.data ?? {}, receivedAt });
      if (url.searchParams.get('with_response') === 'true') {
        return send(200, { interaction: { id: match[1], type: 2 }, resource: { type: body.type, message: sentMessagePayload(state.channelId, body.data ?? {}, this.bot, state.guildId) } });
      }
      return send(204);
    }
    if ((match = /^(PATCH|GET|DELETE) \/webhooks\/\d+\/([^/]+)\/messages\/(@original|\d+)$/.exec(route))) {
      const state = this.handles.get(match[2]!);
      if (!state) return send(404, { message: 'Unknown webhook', code: 10015 });
      if (method === 'PATCH' && match[3] === '@original') state.edits.push({ data: body, receivedAt });
      if (method === 'DELETE') return send(204);
      return send(200, sentMessagePayload(state.channelId, body ?? {}, this.bot, state.guildId));
    }
    if ((match = /^POST \/webhooks\/\d+\/([^/]+)$/.exec(route))) {
      const state = this.handles.get(match[1]!);
      if (!state) return send(404, { message: 'Unknown webhook', code: 10015 });
      state.followUps.push({ data: body, receivedAt });
      return send(200, sentMessagePayload(state.channelId, body, this.bot, state.guildId));
    }
    if ((match = /^POST \/channels\/(\d+)\/messages$/.exec(route))) {
      this.recordMessage({ channelId: match[1]!, body, receivedAt });
      return send(200, sentMessagePayload(match[1]!, body, this.bot, this.guildOfChannel(match[1]!)));
    }
    if ((match = /^POST \/channels\/(\d+)\/(?:messages\/\d+\/)?threads$/.exec(route))) {
      const guildId = this.guildOfChannel(match[1]!) ?? '0';
      const thread = { id: snowflake(), type: 11, name: String(body.name ?? 'thread'), parent_id: match[1]! };
      this.threads.set(thread.id, { guildId, parentId: match[1]! });
      if (body.message) this.recordMessage({ channelId: thread.id, body: body.message, receivedAt });
      return send(201, { ...channelPayload(thread, guildId), owner_id: this.botUserId });
    }
    if ((match = /^GET \/channels\/(\d+)$/.exec(route))) {
      const channel = this.findChannel(match[1]!);
      return channel ? send(200, channelPayload(channel, this.guildOfChannel(channel.id)!)) : send(404, { message: 'Unknown Channel', code: 10003 });
    }
    if ((match = /^PUT \/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/.exec(route))) {
      this.registeredCommands.set(match[1] ?? 'global', body);
      return send(200, (body as { name: string }[]).map((command) => ({ ...command, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    }
    return send(404, { message: `Unknown route ${route}`, code: 0 });
  }

  private recordMessage(message: RecordedMessage): void {
    const waiter = this.messageWaiters.findIndex((candidate) => candidate.predicate(message));
    if (waiter >= 0) this.messageWaiters.splice(waiter, 1)[0]!.resolve(message);
    else this.messages.push(message);
  }
}
