import { Engine } from '../engine.ts';
import { inProcessKnowledge } from '../knowledge-base.ts';
import type { OpenKnowledge } from './protocol.ts';

/** What the engine process serves by default: the real engine, opened from the configuration. */
export const openKnowledge: OpenKnowledge = async (config, logger) => inProcessKnowledge(await Engine.open(config, { logger }));
