import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Intents Discord only grants when enabled in the Developer Portal. */
const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
/** How many dispatches a session keeps for replay on RESUME. */
const BACKLOG_SIZE = 1000;

interface DispatchPayload {
  readonly op: GatewayOpcodes.Dispatch;
  readonly t: string;
  readonly s: number;
  readonly d: unknown;
}

/** One logged-in gateway session; it outlives its socket until the bot closes normally, so it can be resumed. */
export interface GatewaySession {
  readonly id: string;
  readonly intents: number;
  readonly shard: [number, number];
  socket: WebSocket | undefined;
  sequence: number;
  readonly backlog: DispatchPayload[];
}

/** What the gateway needs from the rest of the fake. */
export interface GatewayOptions {
  readonly token: string;
  readonly heartbeatIntervalMs: number;
  /** When false, IDENTIFY asking for a privileged intent is closed with 4014, as for a bot not approved for it. */
  readonly privilegedIntentsEnabled: boolean;
  /** The dispatches that follow a successful IDENTIFY: READY first, then a GUILD_CREATE per guild. */
  readonly initialDispatches: (session: GatewaySession) => { readonly t: string; readonly d: unknown }[];
}

/**
 * The fake gateway: JSON text frames over WebSocket, never compressed. HELLO on connect; IDENTIFY (token and intents checked) →
 * READY and GUILD_CREATEs; heartbeats acknowledged; RESUME replays what the session missed; close codes as Discord's.
 *
 * @see https://discord.com/developers/docs/events/gateway
 */
export class GatewayServer {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly options: GatewayOptions) {}

  /**
   * Takes over an HTTP upgrade to `/gateway?v=10&encoding=json` (what @discordjs/ws asks for). A `compress=zlib-stream`
   * parameter (sent when the optional zlib-sync package is installed) is ignored: frames stay uncompressed text, which
   * @discordjs/ws parses as they are, since it only inflates binary frames.
   */
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    if (query.get('encoding') !== 'json') {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nfake Discord gateway: only encoding=json is supported');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, query.get('v')));
  }

  /** Sessions that are logged in (connected, or disconnected and resumable). */
  get activeSessions(): GatewaySession[] {
    return [...this.sessions.values()];
  }

  /**
   * Sends a dispatch to every session, shaped per session (return `undefined` to skip one, e.g. for its intents).
   * An event of a guild goes only to the session of the shard that owns the guild, as on Discord (`guildId`
   * null: a DM, which goes to shard 0). Returns `performance.now()` once written.
   */
  broadcast(event: string, dataFor: (session: GatewaySession) => unknown, guildId?: string | null): number {
    for (const session of this.sessions.values()) {
      if (guildId !== undefined && !ownsGuild(session.shard, guildId)) continue;
      const data = dataFor(session);
      if (data !== undefined) this.dispatch(session, event, data);
    }
    return performance.now();
  }

  /** Drops every connection with `code`; sessions stay resumable unless the code tells the client to identify anew. */
  closeConnections(code: number, reason = 'fake Discord closed the connection'): void {
    if (!RESUMABLE_CLOSE_CODES.has(code)) this.sessions.clear();
    for (const socket of this.sockets) socket.close(code, reason);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket, version: string | null): void {
    this.sockets.add(socket);
    let session: GatewaySession | undefined;
    socket.on('close', (code) => {
      this.sockets.delete(socket);
      if (session?.socket !== socket) return;
      session.socket = undefined;
      // A client that closes with 1000/1001 ends its session; any other code keeps it resumable.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
    if (version !== '10') {
      socket.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
      return;
    }
    this.send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
    socket.on('message', (raw) => {
      const payload = parsePayload(raw);
      if (!payload) return socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      if (payload.op === GatewayOpcodes.Heartbeat) return this.send(socket, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
      if (payload.op === GatewayOpcodes.Identify || payload.op === GatewayOpcodes.Resume) {
        if (session) return socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
        if (payload.d?.token !== this.options.token) return socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
        session = payload.op === GatewayOpcodes.Identify ? this.identify(socket, payload.d) : this.resume(socket, payload.d);
        return;
      }
      if (!session) return socket.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
      if (!KNOWN_CLIENT_OPCODES.has(payload.op)) socket.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    });
  }

  private identify(socket: WebSocket, d: { intents?: unknown; shard?: unknown }): GatewaySession | undefined {
    const shard = d.shard ?? [0, 1];
    if (!isShard(shard)) {
      socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return undefined;
    }
    if (typeof d.intents !== 'number' || d.intents < 0) {
      socket.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
      return undefined;
    }
    if (!this.options.privilegedIntentsEnabled && (d.intents & PRIVILEGED_INTENTS) !== 0) {
      socket.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return undefined;
    }
    const session: GatewaySession = { id: randomBytes(16).toString('hex'), intents: d.intents, shard, socket, sequence: 0, backlog: [] };
    this.sessions.set(session.id, session);
    for (const { t, d: data } of this.options.initialDispatches(session)) this.dispatch(session, t, data);
    return session;
  }

  private resume(socket: WebSocket, d: { session_id?: string; seq?: number }): GatewaySession | undefined {
    const session = this.sessions.get(d.session_id ?? '');
    if (!session || session.socket) {
      // Not resumable: the client must identify anew (after a short wait, as Discord asks).
      this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return undefined;
    }
    session.socket = socket;
    for (const missed of session.backlog) if (missed.s > (d.seq ?? 0)) this.send(socket, missed);
    this.dispatch(session, GatewayDispatchEvents.Resumed, {});
    return session;
  }

  private dispatch(session: GatewaySession, event: string, data: unknown): void {
    const payload: DispatchPayload = { op: GatewayOpcodes.Dispatch, t: event, s: ++session.sequence, d: data };
    session.backlog.push(payload);
    if (session.backlog.length > BACKLOG_SIZE) session.backlog.shift();
    if (session.socket) this.send(session.socket, payload);
  }

  private send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }
}

/** Close codes after which a client may resume its session (the others end it). */
const RESUMABLE_CLOSE_CODES: ReadonlySet<number> = new Set([
  GatewayCloseCodes.UnknownError,
  GatewayCloseCodes.UnknownOpcode,
  GatewayCloseCodes.DecodeError,
  GatewayCloseCodes.AlreadyAuthenticated,
  GatewayCloseCodes.RateLimited,
]);

/** Opcodes a client may send once authenticated; the fake accepts and ignores those it does not act on. */
const KNOWN_CLIENT_OPCODES: ReadonlySet<number> = new Set([
  GatewayOpcodes.PresenceUpdate,
  GatewayOpcodes.VoiceStateUpdate,
  GatewayOpcodes.RequestGuildMembers,
  GatewayOpcodes.RequestSoundboardSounds,
]);

/**
 * Whether the session of `shard` ([id, count]) receives the events of `guildId`: Discord's rule, shard id =
 * (guild_id >> 22) % shard count; DMs (null) go to shard 0.
 * @see https://discord.com/developers/docs/events/gateway#sharding-sharding-formula
 */
export function ownsGuild(shard: readonly [number, number], guildId: string | null): boolean {
  const [id, count] = shard;
  if (guildId === null) return id === 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
}

/** A valid IDENTIFY `shard`: [id, count] with 0 <= id < count. */
function isShard(value: unknown): value is [number, number] {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [id, count] = value as unknown[];
  return Number.isInteger(id) && Number.isInteger(count) && (id as number) >= 0 && (count as number) >= 1 && (id as number) < (count as number);
}

function parsePayload(raw: RawData): { op: number; d: any } | undefined {
  try {
    const payload = JSON.parse(String(raw)) as { op?: unknown; d?: unknown };
    return typeof payload.op === 'number' ? (payload as { op: number; d: any }) : undefined;
  } catch {
    return undefined;
  }
}
