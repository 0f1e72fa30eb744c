import { PermissionsBitField, type APIEmbed, type Interaction } from 'discord.js';
import type { BotConfig } from '../../src/config.ts';
import { AnswerSessions } from '../../src/bot/answer-sessions.ts';
import type { BotContext, KnowledgeBase } from '../../src/bot/context.ts';
import { QuestionQueue } from '../../src/bot/question-queue.ts';
import { RateLimiter } from '../../src/bot/rate-limiter.ts';
import type { Answer } from '../../src/engine/types.ts';
import type { FeedbackRecord, KnowledgeLog, QuestionRecord } from '../../src/knowledge/knowledge-log.ts';
import { KnowledgeDatabase } from '../../src/knowledge/database.ts';
import { SqliteServerSettings } from '../../src/knowledge/server-settings.ts';
import { silentLogger } from '../../src/logger.ts';

/** What a fake interaction was sent, in order. */
export interface SentReply {
  kind: 'reply' | 'defer' | 'edit' | 'respond' | 'update';
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  flags?: number;
  allowedMentions?: unknown;
  choices?: unknown[];
}

interface FakeInteractionOptions {
  kind?: 'command' | 'button' | 'autocomplete';
  commandName?: string;
  customId?: string;
  options?: Record<string, unknown>;
  focused?: string;
  guildId?: string | null;
  userId?: string;
  permissions?: bigint;
  roles?: string[];
}

/**
 * A stand-in for the few members of a discord.js interaction the commands use, recording every reply. Command
 * unit tests use it; the real discord.js objects are exercised end to end through the fake Discord.
 */
export function fakeInteraction(init: FakeInteractionOptions = {}) {
  const sent: SentReply[] = [];
  const kind = init.kind ?? 'command';
  const option = <T>(name: string, required?: boolean): T | null => {
    const value = init.options?.[name];
    if (value === undefined && required) throw new Error(`missing required option ${name}`);
    return (value ?? null) as T | null;
  };
  const record = (entry: SentReply['kind']) => async (payload: Record<string, unknown> = {}) => {
    sent.push({ kind: entry, ...(payload as object) });
  };
  const interaction = {
    sent,
    commandName: init.commandName ?? 'ask',
    customId: init.customId ?? '',
    guildId: init.guildId === undefined ? '111' : init.guildId,
    user: { id: init.userId ?? '42' },
    memberPermissions: new PermissionsBitField(init.permissions ?? 0n),
    member: { roles: init.roles ?? [] },
    deferred: false,
    replied: false,
    options: {
      getString: (name: string, required?: boolean) => option<string>(name, required),
      getInteger: (name: string, required?: boolean) => option<number>(name, required),
      getBoolean: (name: string, required?: boolean) => option<boolean>(name, required),
      getAttachment: (name: string, required?: boolean) => option(name, required),
      getFocused: () => init.focused ?? '',
    },
    isAutocomplete: () => kind === 'autocomplete',
    isChatInputCommand: () => kind === 'command',
    isButton: () => kind === 'button',
    isMessageContextMenuCommand: () => false,
    async reply(payload: Record<string, unknown>) {
      interaction.replied = true;
      await record('reply')(payload);
    },
    async deferReply(payload: Record<string, unknown> = {}) {
      interaction.deferred = true;
      await record('defer')(payload);
    },
    editReply: record('edit'),
    update: record('update'),
    async respond(choices: unknown[]) {
      sent.push({ kind: 'respond', choices });
    },
  };
  return interaction as typeof interaction & Interaction & { sent: SentReply[] };
}

/** A knowledge base that answers from a script and records calls. */
export function fakeKnowledge(overrides: Partial<KnowledgeBase> = {}) {
  const calls: { method: string; args: unknown[] }[] = [];
  const answer: Answer = {
    question: 'q',
    mode: 'hybrid',
    answered: true,
    more: false,
    passages: [{ document: 'guide.md', title: 'Guide', section: 'Setup', paragraphNumber: 2, score: 0.81, text: 'Install it with npm ci.', start: 0, end: 23, highlights: [] }],
  };
  const knowledge: KnowledgeBase = {
    ask: async (...args) => (calls.push({ method: 'ask', args }), { ...answer, question: args[0] }),
    reindex: async (...args) => (calls.push({ method: 'reindex', args }), { added: 1, changed: 0, removed: 0, unchanged: 2, paragraphs: 30, embedded: 4, skipped: [], rebuilt: false, seconds: 1.25 }),
    listDocuments: async (...args) => (calls.push({ method: 'listDocuments', args }), []),
    addDocument: async (...args) => (calls.push({ method: 'addDocument', args }), { path: 'x.md', report: { added: 1, changed: 0, removed: 0, unchanged: 1, paragraphs: 5, embedded: 3, skipped: [], rebuilt: false, seconds: 0.5 } }),
    removeDocument: async (...args) => (calls.push({ method: 'removeDocument', args }), { added: 0, changed: 0, removed: 1, unchanged: 1, paragraphs: 2, embedded: 0, skipped: [], rebuilt: false, seconds: 0.1 }),
    stats: async () => ({ mode: 'hybrid', model: 'fake/model', dimension: 8, documents: 1, paragraphs: 3, generation: 1, indexedAt: null, knowledgeBasesInMemory: 1, paragraphsInMemory: 3 }),
    embedQuestions: async () => null,
    listSources: async (...args) => (calls.push({ method: 'listSources', args }), []),
    addSource: async () => {
      throw new Error('addSource is not faked');
    },
    syncSources: async (...args) => (calls.push({ method: 'syncSources', args }), { sources: [], report: { added: 0, changed: 0, removed: 0, unchanged: 0, paragraphs: 0, embedded: 0, skipped: [], rebuilt: false, seconds: 0 } }),
    removeSource: async (...args) => (calls.push({ method: 'removeSource', args }), { added: 0, changed: 0, removed: 1, unchanged: 0, paragraphs: 0, embedded: 0, skipped: [], rebuilt: false, seconds: 0 }),
    ...overrides,
  };
  return { knowledge, calls };
}

export const TEST_BOT_CONFIG: BotConfig = {
  discordToken: 'test-token',
  discordApiUrl: undefined,
  guildId: undefined,
  qaChannelIds: [],
  answerInThread: false,
  messageContentIntent: false,
  adminRoleIds: ['900'],
  rateLimitPerMinute: 3,
  maxUploadBytes: 1000,
  questionQueue: { deferAfterMs: 500, shedAfterMs: 5000, maxQueued: 100, concurrency: 1 },
  sharding: { shardCount: undefined, shardIds: undefined, managed: false },
  shardSpawnDelayMs: 0,
  shardReadyTimeoutMs: 60_000,
  metrics: { port: undefined, host: '127.0.0.1' },
  syncIntervalHours: 0,
};

/** A bot context of fakes; `entries` collects votes, `asked` the questions recorded. */
export function fakeContext(knowledge: KnowledgeBase, overrides: Partial<BotContext> = {}) {
  const entries: FeedbackRecord[] = [];
  const asked: QuestionRecord[] = [];
  const knowledgeLog = {
    recordQuestion: (record: QuestionRecord) => asked.push(record),
    recordFeedback: (record: FeedbackRecord) => entries.push(record) > 0,
  } as Partial<KnowledgeLog> as KnowledgeLog;
  const downloads: string[] = [];
  const context: BotContext = {
    knowledge,
    config: TEST_BOT_CONFIG,
    answers: new AnswerSessions(),
    knowledgeLog,
    rateLimiter: new RateLimiter(3, () => 0),
    questions: new QuestionQueue(TEST_BOT_CONFIG.questionQueue),
    logger: silentLogger,
    settings: new SqliteServerSettings(KnowledgeDatabase.open({ file: ':memory:', logger: silentLogger })),
    download: async (url) => (downloads.push(url), new TextEncoder().encode('# Doc\n\nSome text that is long enough to be a paragraph.')),
    ...overrides,
  };
  return { context, entries, asked, downloads };
}

/** A stand-in for a discord.js message that mentions the bot (`<@999>`) in server 111, recording its replies. */
export function fakeMessage(init: { authorId?: string; content?: string } = {}) {
  const replies: { content?: string }[] = [];
  const message = {
    replies,
    id: '1',
    author: { id: init.authorId ?? '7', bot: false },
    member: null,
    inGuild: () => true,
    guildId: '111',
    channelId: '222',
    channel: { isThread: () => false },
    content: init.content ?? '<@999> where is the guide?',
    mentions: { users: new Map([['999', {}]]) },
    reply: async (payload: { content?: string }) => void replies.push(payload),
  };
  return message;
}
