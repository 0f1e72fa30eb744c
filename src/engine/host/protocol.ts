import type { EngineConfig } from '../../config.ts';
import { AppError, createError, type ErrorCode } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ReindexProgress } from '../types.ts';
import type { KnowledgeService } from '../knowledge-base.ts';

/** The operations the engine process serves: the knowledge service less `close`, which is a message of its own. */
export type HostMethod = Exclude<keyof KnowledgeService, 'close'>;

/** What the engine process needs to open the engine: all settings come from the parent, which read them. */
export interface HostOpen {
  readonly type: 'open';
  readonly config: EngineConfig;
  /** The module whose `openKnowledge` opens the service (the real engine unless a test injects another). */
  readonly module: string;
}

/** Parent → engine process. Progress callbacks are not sent: the child reports progress by call id. */
export type HostRequest =
  | HostOpen
  | { readonly type: 'call'; readonly id: number; readonly method: HostMethod; readonly args: readonly unknown[] }
  | { readonly type: 'close' };

/** What a module named in {@link HostOpen} exports. */
export type OpenKnowledge = (config: EngineConfig, logger: Logger) => Promise<KnowledgeService>;

/** Engine process → parent. */
export type HostReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: WireError }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: WireError }
  | { readonly type: 'progress'; readonly id: number; readonly progress: ReindexProgress }
  /** The engine's log lines go through the bot's logger (its level, its redaction). */
  | { readonly type: 'log'; readonly level: keyof Logger; readonly message: string };

/** An error as it crosses the process boundary: coded AppErrors stay coded, so users see the same message. */
export interface WireError {
  readonly code?: ErrorCode;
  readonly message: string;
  readonly stack?: string;
}

export function toWire(error: unknown): WireError {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { message: error.message, stack: error.stack };
  return { message: String(error) };
}

export function fromWire(wire: WireError): Error {
  // Already made from the table on the other side: restored as it is.
  if (wire.code) return new AppError(wire.code, wire.message);
  const error = new Error(wire.message);
  if (wire.stack) error.stack = `${wire.stack}\n    (in the engine process)`;
  return error;
}
