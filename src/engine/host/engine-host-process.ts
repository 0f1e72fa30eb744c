import { pathToFileURL } from 'node:url';
import type { Logger } from '../../logger.ts';
import type { ReindexProgress } from '../types.ts';
import type { KnowledgeService } from '../knowledge-base.ts';
import { toWire, type HostMethod, type HostOpen, type HostReply, type HostRequest, type OpenKnowledge } from './protocol.ts';

// The engine process: opens the knowledge service once, then serves calls from the bot by id. All the CPU work of
// answering and indexing happens here, so the bot's event loop stays free for Discord.
const send = (reply: HostReply) => {
  if (process.connected) process.send!(reply);
};
let service: Promise<KnowledgeService> | null = null;

/** Where each method that reports progress takes its callback (the arguments before it come from the parent). */
const PROGRESS_ARGUMENT: Partial<Record<HostMethod, number>> = { reindex: 0, addDocument: 3, addSource: 3, syncSources: 1 };

// Ctrl+C signals the whole process group: the bot decides when the engine stops (after a running write).
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => void stop());
process.on('message', (request: HostRequest) => {
  if (request.type === 'open') {
    service = open(request);
    // Reported to the parent as 'failed'; calls that await it fail too.
    service.catch(() => undefined);
  } else if (request.type === 'close') {
    void stop();
  } else {
    void call(request.id, request.method, request.args);
  }
});

async function open(request: HostOpen): Promise<KnowledgeService> {
  try {
    const log = (level: keyof Logger) => (message: string) => send({ type: 'log', level, message });
    const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    const { openKnowledge } = (await import(pathToFileURL(request.module).href)) as { openKnowledge: OpenKnowledge };
    const opened = await openKnowledge(request.config, logger);
    send({ type: 'ready' });
    return opened;
  } catch (error) {
    send({ type: 'failed', error: toWire(error) });
    throw error;
  }
}

async function call(id: number, method: HostMethod, args: readonly unknown[]): Promise<void> {
  try {
    const knowledge = await service!;
    // Callbacks cannot cross the process boundary: progress goes back as messages tagged with the call's id.
    const progress = (update: ReindexProgress) => send({ type: 'progress', id, progress: update });
    const at = PROGRESS_ARGUMENT[method];
    const withProgress: unknown[] = at === undefined ? [...args] : [...Array.from({ length: at }, (_, index) => args[index]), progress];
    const value = await (knowledge[method] as (...parameters: unknown[]) => Promise<unknown>).apply(knowledge, withProgress);
    send({ type: 'result', id, value });
  } catch (error) {
    send({ type: 'error', id, error: toWire(error) });
  }
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await (await service?.catch(() => null))?.close();
  // The service closed the embedding workers; the channel to the bot is what still keeps this process alive.
  process.disconnect?.();
}
