import type { BotConfig } from '../config.ts';
import { createError } from '../errors.ts';
import type { KnowledgeDatabase } from './database.ts';

/**
 * What a server changed with `/settings`. A field left out means the server set nothing: the `.env` value applies
 * (QA_CHANNEL_IDS, ANSWER_IN_THREAD, MIN_SCORE, TOP_K), so servers that never use `/settings` behave as before.
 */
export interface ServerSettings {
  /** Channels where every message is a question (QA_CHANNEL_IDS for this server). */
  readonly qaChannels?: readonly string[];
  readonly answerInThread?: boolean;
  /** Whether `/ask` answers are public unless the member says otherwise (default: private). */
  readonly publicAnswers?: boolean;
  /** The "no confident match" threshold (MIN_SCORE for this server). */
  readonly minScore?: number;
  /** Passages per answer (TOP_K for this server). */
  readonly passagesPerAnswer?: number;
  /** Per channel id: the only documents (paths, or folders ending in `/`) questions there are answered from. */
  readonly channelDocuments?: Readonly<Record<string, readonly string[]>>;
}

/** A change: a field set to `null` goes back to the `.env` default; fields left out stay as they are. */
export type SettingsChange = { readonly [K in keyof ServerSettings]?: ServerSettings[K] | null };

/** Where `/settings` are kept, per server; a server never reads another's. */
export interface ServerSettingsStore {
  get(server: string): ServerSettings;
  /** Applies a change and returns the server's settings after it; throws SETTINGS_UNAVAILABLE when it cannot be kept. */
  update(server: string, change: SettingsChange): ServerSettings;
}

/** The settings a question is answered with: the server's own where it set them, else the `.env` ones. */
export interface EffectiveSettings {
  readonly qaChannelIds: readonly string[];
  readonly answerInThread: boolean;
  readonly publicAnswers: boolean;
  /** undefined: the engine's (MIN_SCORE, or the mode's default). */
  readonly minScore: number | undefined;
  /** undefined: the engine's TOP_K. */
  readonly passagesPerAnswer: number | undefined;
  /** The documents a channel (or, inside a thread, its parent) answers from; undefined: all. */
  documentsFor(channelId: string, parentId?: string | null): readonly string[] | undefined;
}

/** Resolves a server's settings against the `.env` defaults. */
export function effectiveSettings(defaults: Pick<BotConfig, 'qaChannelIds' | 'answerInThread'>, settings: ServerSettings): EffectiveSettings {
  const limits = settings.channelDocuments ?? {};
  return {
    qaChannelIds: settings.qaChannels ?? defaults.qaChannelIds,
    answerInThread: settings.answerInThread ?? defaults.answerInThread,
    publicAnswers: settings.publicAnswers ?? false,
    minScore: settings.minScore,
    passagesPerAnswer: settings.passagesPerAnswer,
    documentsFor: (channelId, parentId) => limits[channelId] ?? (parentId ? limits[parentId] : undefined),
  };
}

/** Applies a change to settings (pure): `null` removes a field, an empty channel list removes that channel's limit. */
export function applyChange(settings: ServerSettings, change: SettingsChange): ServerSettings {
  const next: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (next.channelDocuments) {
    const kept = Object.entries(next.channelDocuments as Record<string, readonly string[]>).filter(([, documents]) => documents.length > 0);
    if (kept.length === 0) delete next.channelDocuments;
    else next.channelDocuments = Object.fromEntries(kept);
  }
  return next as ServerSettings;
}

/**
 * Settings in the knowledge store (SQLite, table `server_settings` of migration 0002: one JSON row per server). Read on every question (a primary-key lookup), so a change takes effect
 * at once. While the store is unavailable, servers get the `.env` defaults and a change is refused with a message.
 */
export class SqliteServerSettings implements ServerSettingsStore {
  constructor(
    private readonly database: KnowledgeDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  get(server: string): ServerSettings {
    return this.database.use('reading server settings', {} as ServerSettings, (db) => {
      const row = db.prepare('SELECT settings FROM server_settings WHERE server = ?').pluck().get(server) as string | undefined;
      return row === undefined ? {} : (JSON.parse(row) as ServerSettings);
    });
  }

  update(server: string, change: SettingsChange): ServerSettings {
    const failed = Symbol('failed');
    const result = this.database.use('saving server settings', failed as ServerSettings | typeof failed, (db) =>
      db.transaction(() => {
        const row = db.prepare('SELECT settings FROM server_settings WHERE server = ?').pluck().get(server) as string | undefined;
        const next = applyChange(row === undefined ? {} : (JSON.parse(row) as ServerSettings), change);
        db.prepare('INSERT INTO server_settings (server, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (server) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at').run(
          server,
          JSON.stringify(next),
          this.now(),
        );
        return next;
      })(),
    );
    if (result === failed) throw createError('SETTINGS_UNAVAILABLE');
    return result;
  }
}
