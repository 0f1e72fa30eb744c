import path from 'node:path';
import type { AppConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { KnowledgeDatabase } from './database.ts';
import type { EmbedTexts } from './group-questions.ts';
import { SqliteKnowledgeLog } from './knowledge-log.ts';

export interface OpenKnowledgeLogOptions {
  readonly config: Pick<AppConfig, 'knowledge' | 'engine'>;
  readonly logger: Logger;
  readonly embed?: EmbedTexts;
  /** The clock of retention and of the times recorded (tests inject one). */
  readonly now?: () => number;
  /** The store to log into, when the caller shares it (the bot's settings use the same one); else opened here. */
  readonly database?: KnowledgeDatabase;
}

/**
 * Opens the knowledge store of KNOWLEDGE_DB_FILE, imports the votes of the former DATA_DIR/feedback.jsonl (once),
 * and deletes question text past QUESTION_LOG_DAYS. Never throws for a bad file: the log then records nothing.
 */
export function openKnowledgeLog(options: OpenKnowledgeLogOptions): SqliteKnowledgeLog {
  const { config, logger } = options;
  const database = options.database ?? KnowledgeDatabase.open({ file: config.knowledge.databaseFile, logger, now: options.now });
  const log = new SqliteKnowledgeLog({ database, questionLogDays: config.knowledge.questionLogDays, logger, embed: options.embed, now: options.now });
  log.importFeedbackFile(path.join(config.engine.dataDir, 'feedback.jsonl'));
  log.purgeExpired();
  return log;
}
