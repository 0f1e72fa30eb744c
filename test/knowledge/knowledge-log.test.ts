import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeDatabase } from '../../src/knowledge/database.ts';
import { SqliteKnowledgeLog, type QuestionRecord } from '../../src/knowledge/knowledge-log.ts';
import { KNOWLEDGE_MIGRATIONS } from '../../src/knowledge/migrations.ts';
import { silentLogger } from '../../src/logger.ts';

const DAY_MS = 86_400_000;
const START = Date.parse('2026-03-10T10:00:00Z');
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function openLog(options: { questionLogDays?: number; file?: string } = {}) {
  const clock = { now: START };
  const database = KnowledgeDatabase.open({ file: options.file ?? ':memory:', logger: silentLogger });
  const log = new SqliteKnowledgeLog({ database, questionLogDays: options.questionLogDays ?? 90, logger: silentLogger, now: () => clock.now });
  return { log, clock, database };
}

const question = (server: string, text: string, extra: Partial<QuestionRecord> = {}): QuestionRecord => ({
  server,
  channel: 'c',
  userId: 'u1',
  via: 'command',
  text,
  link: undefined,
  mode: 'keyword',
  answered: false,
  confidence: 0.1,
  latencyMs: 12,
  passages: [],
  ...extra,
});

const passage = (document: string) => ({ document, section: 'S', paragraph: 1, score: 0.5 });

describe('SqliteKnowledgeLog', () => {
  it('keeps every table apart per server: questions, passages cited, votes, resolutions', async () => {
    const { log } = openLog();
    const a = log.recordQuestion(question('A', 'how to reset password', { answered: true, confidence: 0.6, passages: [passage('a.md')] }))!;
    const b = log.recordQuestion(question('B', 'secret of server b', { answered: true, confidence: 0.6, passages: [passage('b.md')] }))!;
    log.recordFeedback({ server: 'A', questionId: a, userId: 'u1', vote: 'down', question: 'how to reset password', confidence: 0.6, passages: [] });
    // A vote sent from server A naming B's question id is not attached to B's question.
    log.recordFeedback({ server: 'A', questionId: b, userId: 'u2', vote: 'down', question: 'forged', confidence: 0.6, passages: [] });

    const statsA = log.stats('A', 7);
    const statsB = log.stats('B', 7);
    expect([statsA.questions, statsA.down, statsA.topDocuments]).toEqual([1, 2, [{ document: 'a.md', citations: 1 }]]);
    expect([statsB.questions, statsB.down, statsB.topDocuments]).toEqual([1, 0, [{ document: 'b.md', citations: 1 }]]);

    const unansweredB = await log.unanswered('B', 7);
    expect(unansweredB.groups).toEqual([]);
    const unansweredA = await log.unanswered('A', 7);
    expect(unansweredA.groups.map((group) => group.text).sort()).toEqual(['forged', 'how to reset password']);

    // Server B cannot resolve A's questions, even by id.
    expect(log.resolve('B', unansweredA.groups.flatMap((group) => group.members))).toBe(0);
    expect((await log.unanswered('A', 7)).groups).toHaveLength(2);
    expect(log.resolve('A', unansweredA.groups.flatMap((group) => group.members))).toBe(2);
    expect((await log.unanswered('A', 7)).groups).toEqual([]);
  });

  it('keeps one vote per member per answer: a later click replaces the earlier', () => {
    const { log } = openLog();
    const id = log.recordQuestion(question('A', 'q', { answered: true }))!;
    log.recordFeedback({ server: 'A', questionId: id, userId: 'u1', vote: 'down', question: 'q', confidence: 0.4, passages: [] });
    log.recordFeedback({ server: 'A', questionId: id, userId: 'u1', vote: 'up', question: 'q', confidence: 0.4, passages: [] });
    log.recordFeedback({ server: 'A', questionId: id, userId: 'u2', vote: 'up', question: 'q', confidence: 0.4, passages: [] });
    expect(log.stats('A', 1)).toMatchObject({ up: 2, down: 0 });
  });

  it('counts latency percentiles and questions per UTC day, days without questions included', () => {
    const { log, clock } = openLog();
    for (let i = 1; i <= 20; i += 1) log.recordQuestion(question('A', `q${i}`, { latencyMs: i * 10, answered: i % 2 === 0 }));
    clock.now += 2 * DAY_MS;
    log.recordQuestion(question('A', 'later', { latencyMs: 5, answered: true }));
    const stats = log.stats('A', 3);
    expect([stats.latencyP50, stats.latencyP95]).toEqual([100, 190]);
    expect(stats.perDay).toEqual([
      { day: '2026-03-10', questions: 20, answered: 10 },
      { day: '2026-03-11', questions: 0, answered: 0 },
      { day: '2026-03-12', questions: 1, answered: 1 },
    ]);
  });

  it('suggests the threshold from this server\'s votes only', () => {
    const { log } = openLog();
    const vote = (server: string, confidence: number, kind: 'up' | 'down') => {
      const id = log.recordQuestion(question(server, `q ${confidence}`, { answered: true, confidence }));
      log.recordFeedback({ server, questionId: id, userId: 'u', vote: kind, question: 'q', confidence, passages: [] });
    };
    for (const confidence of [0.27, 0.29, 0.3]) vote('A', confidence, 'down');
    for (const confidence of [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) vote('A', confidence, 'up');
    for (const confidence of [0.27, 0.29, 0.3]) vote('B', confidence, 'up');
    expect(log.suggestThreshold('A')).toMatchObject({ threshold: 0.301, withheldDown: 3, withheldUp: 0 });
    expect(log.suggestThreshold('B')).toMatchObject({ threshold: undefined, reason: 'too-few-votes' });
  });

  it('stores no text, user hash or link at QUESTION_LOG_DAYS=0, only counts', async () => {
    const { log, database } = openLog({ questionLogDays: 0 });
    log.recordQuestion(question('A', 'private question', { link: 'https://discord.com/channels/1/2/3' }));
    expect(database.use('read', [], (db) => db.prepare('SELECT text, asker, link FROM questions').all())).toEqual([{ text: null, asker: null, link: null }]);
    expect(log.stats('A', 1).questions).toBe(1);
    expect((await log.unanswered('A', 1)).withoutText).toBe(1);
  });

  it('deletes text, hashes and links past the retention period, keeping the counts', () => {
    const { log, clock, database } = openLog({ questionLogDays: 30 });
    log.recordQuestion(question('A', 'old', { link: 'https://discord.com/channels/1/2/3' }));
    clock.now += 20 * DAY_MS;
    log.recordQuestion(question('A', 'recent'));
    clock.now += 11 * DAY_MS;
    expect(log.purgeExpired()).toBe(1);
    expect(database.use('read', [], (db) => db.prepare('SELECT text, asker IS NULL AS anonymous, link FROM questions ORDER BY id').all())).toEqual([
      { text: null, anonymous: 1, link: null },
      { text: 'recent', anonymous: 0, link: null },
    ]);
    expect(log.stats('A', 60).questions).toBe(2);
    expect(log.purgeExpired()).toBe(0);
  });

  it('imports feedback.jsonl once however often it runs, skipping lines it cannot read', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-log-'));
    folders.push(folder);
    const file = path.join(folder, 'feedback.jsonl');
    const line = (question: string, server: string) => JSON.stringify({ at: new Date(START - DAY_MS).toISOString(), vote: 'down', server, user: '42', question, passages: [{ document: 'a.md', section: '', paragraph: 1, score: 0.4 }] });
    fs.writeFileSync(file, [line('where is the guide', 'A'), '{not json', line('other server', 'B')].join('\n') + '\n');
    const { log } = openLog({ file: path.join(folder, 'knowledge.db') });
    expect(log.importFeedbackFile(file)).toBe(2);
    expect(log.importFeedbackFile(file)).toBe(0);
    expect(log.stats('A', 7).down).toBe(1);
    expect((await log.unanswered('A', 7)).groups.map((group) => group.text)).toEqual(['where is the guide']);
  });

  it('upgrades a store written before a later migration, keeping what it recorded', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-log-'));
    folders.push(folder);
    const file = path.join(folder, 'knowledge.db');
    const { log } = openLog({ file });
    log.recordQuestion(question('A', 'kept across the upgrade'));
    log.close();
    const later = [...KNOWLEDGE_MIGRATIONS, { id: '9999-test-settings', up: (db: import('better-sqlite3').Database) => db.exec('CREATE TABLE test_settings (server TEXT PRIMARY KEY, value TEXT)') }];
    const upgraded = KnowledgeDatabase.open({ file, logger: silentLogger, migrations: later });
    expect(upgraded.schemaVersion()).toBe(KNOWLEDGE_MIGRATIONS.length + 1);
    expect(upgraded.use('read', [], (db) => db.prepare('SELECT text FROM questions').pluck().all())).toEqual(['kept across the upgrade']);
    upgraded.close();
  });
});
