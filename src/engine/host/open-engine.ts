import { configuredEngineDependencies } from '../../engine-wiring.ts';
import { Engine } from '../engine.ts';
import { inProcessKnowledge } from '../knowledge-base.ts';
import type { OpenKnowledge } from './protocol.ts';

/** What the engine process serves by default: the real engine, opened from the configuration; close() ends it. */
export const openKnowledge: OpenKnowledge = async (config, logger) => {
  const engine = await Engine.open(config, { logger, ...configuredEngineDependencies(config) });
  return { ...inProcessKnowledge(engine), close: () => engine.close() };
};
