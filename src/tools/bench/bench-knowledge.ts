import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOptions } from '../../cli/options.ts';
import type { CliIo } from '../../cli/output.ts';
import type { AppConfig } from '../../config.ts';
import { createError } from '../../errors.ts';
import { KnowledgeDatabase } from '../../knowledge/database.ts';
import { SqliteKnowledgeLog } from '../../knowledge/knowledge-log.ts';
import { renderStatsChart } from '../../knowledge/stats-chart.ts';
import type { Logger } from '../../logger.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { describeMachine } from './machine.ts';

const DAY_MS = 86_400_000;
const TOPICS = ['password', 'invoice', 'webhook', 'login', 'export', 'billing', 'token', 'backup', 'upload', 'quota', 'theme', 'plugin', 'mobile', 'email', 'sso', 'api'];
const ACTIONS = ['reset', 'configure', 'delete', 'rename', 'download', 'share', 'enable', 'disable', 'migrate', 'restore', 'limit', 'schedule'];
const FRAMES = ['How do I {a} the {t}?', '{a} {t} not working', 'Can I {a} my {t}', 'where is {t} {a}', 'Is there a way to {a} {t} settings?'];

/**
 * `docqa bench-knowledge [--questions 100000] [--days 90] [--json]`: fills a throwaway knowledge store with one
 * server's logged questions (a third "no confident match", one in twenty voted on, over `--days` days) and times
 * what `/stats` and `/unanswered` do on it: the queries, the keyword grouping, the grouping by embeddings (random
 * unit vectors stand in for the model, so this is the clustering's cost, not the model's), and the chart.
 */
export async function benchKnowledgeCommand(_config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parseOptions(args, { questions: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' } });
  const questions = positiveInteger('--questions', values.questions ?? '100000');
  const days = positiveInteger('--days', values.days ?? '90');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-bench-knowledge-'));
  try {
    const now = Date.parse('2026-06-30T12:00:00Z');
    let clock = now;
    const database = KnowledgeDatabase.open({ file: path.join(folder, 'knowledge.db'), logger });
    const log = new SqliteKnowledgeLog({ database, questionLogDays: 365, logger, now: () => clock });
    const fillSeconds = time(() => fill(database, log, questions, days, now, (at) => (clock = at)));
    clock = now;
    logger.info(`bench-knowledge: ${questions} questions logged in ${fillSeconds.toFixed(1)} s`);

    const rows: { step: string; ms: number; cpuMs: number }[] = [];
    // Wall time, and this process's CPU time: on a shared machine the first waits for cores, the second does not.
    const measure = async (step: string, work: () => unknown) => {
      const [started, cpu] = [performance.now(), process.cpuUsage()];
      await work();
      const used = process.cpuUsage(cpu);
      rows.push({ step, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 });
    };
    let stats = log.stats('bench', 30);
    await measure('/stats 30 days: queries', () => (stats = log.stats('bench', 30)));
    await measure(`/stats ${days} days: queries`, () => log.stats('bench', days));
    await measure('/stats: threshold suggestion', () => log.suggestThreshold('bench'));
    await measure('/stats: chart (PNG)', () => renderStatsChart(stats));
    await measure('/unanswered 30 days: keywords', () => log.unanswered('bench', 30));
    await measure(`/unanswered ${days} days: keywords`, () => log.unanswered('bench', days));
    const random = seededRandom(7);
    const embedding = new SqliteKnowledgeLog({
      database,
      questionLogDays: 365,
      logger,
      now: () => now,
      embed: async (texts) => texts.map(() => Array.from({ length: 384 }, () => random() - 0.5)),
    });
    await measure(`/unanswered ${days} days: embeddings (clustering only)`, () => embedding.unanswered('bench', days));
    database.close();

    const report = { machine: describeMachine(), questions, days, unanswered: stats.noMatch, rows };
    if (values.json) io.stdout(JSON.stringify(report) + '\n');
    else {
      const { machine } = report;
      const lines = [
        `Knowledge store: ${questions.toLocaleString('en-US')} logged questions over ${days} days (one server), ${machine.date}`,
        `Machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`,
        `  ${'step'.padEnd(52)} ${'wall'.padStart(9)} ${'CPU'.padStart(9)}`,
        ...rows.map((row) => `  ${row.step.padEnd(52)} ${row.ms.toFixed(0).padStart(6)} ms ${row.cpuMs.toFixed(0).padStart(6)} ms`),
      ];
      io.stdout(lines.join('\n') + '\n');
    }
    return 0;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** Logs `count` questions spread evenly over `days` days before `now`, each its own transaction as the bot does. */
function fill(database: KnowledgeDatabase, log: SqliteKnowledgeLog, count: number, days: number, now: number, setClock: (at: number) => void): void {
  const random = seededRandom(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  database.use('filling the bench store', undefined, (db) =>
    db.transaction(() => {
      for (let index = 0; index < count; index += 1) {
        setClock(now - Math.floor((index / count) * days * DAY_MS));
        const answered = random() > 1 / 3;
        const confidence = answered ? 0.3 + random() * 0.6 : random() * 0.3;
        const text = pick(FRAMES).replace('{a}', pick(ACTIONS)).replace('{t}', pick(TOPICS));
        const id = log.recordQuestion({
          server: 'bench',
          channel: 'c',
          userId: String(index % 5000),
          via: index % 2 === 0 ? 'command' : 'message',
          text,
          link: index % 2 === 0 ? undefined : `https://discord.com/channels/1/2/${index}`,
          mode: 'hybrid',
          answered,
          confidence,
          latencyMs: 20 + random() * 200,
          passages: answered ? [{ document: `${pick(TOPICS)}.md`, section: 'S', paragraph: 1, score: confidence }] : [],
        });
        if (answered && index % 20 === 0) {
          log.recordFeedback({ server: 'bench', questionId: id, userId: String(index % 5000), vote: confidence < 0.45 ? 'down' : 'up', question: text, confidence, passages: [] });
        }
      }
    })(),
  );
}

function time(work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

function positiveInteger(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw createError('BAD_USAGE', `${name} must be a whole number from 1 (got "${value}")`);
  return parsed;
}
