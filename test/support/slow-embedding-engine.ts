import { createHash } from 'node:crypto';
import { openKnowledge as openEngine } from '../../src/engine/host/open-engine.ts';
import type { OpenKnowledge } from '../../src/engine/host/protocol.ts';

/** Engine time one question embedding for `/unanswered` takes here, holding the engine process's thread. */
export const EMBED_MS_PER_TEXT = 15;

/**
 * For the engine process in tests: the real engine (keyword mode is enough), except that `embedQuestions` holds
 * the engine's thread for {@link EMBED_MS_PER_TEXT} per text, as a model embedding a batch does, and returns
 * vectors of its own (from a hash of the text: unrelated texts are far apart), so `/unanswered` groups by embeddings.
 */
export const openKnowledge: OpenKnowledge = async (config, logger) => {
  const engine = await openEngine(config, logger);
  return {
    ...engine,
    async embedQuestions(texts) {
      const end = Date.now() + EMBED_MS_PER_TEXT * texts.length;
      while (Date.now() < end);
      return texts.map(textVector);
    },
  };
};

/** 32 numbers in [-1, 1) from the text's sha256: two different texts are nearly orthogonal. */
function textVector(text: string): number[] {
  return [...createHash('sha256').update(text).digest()].map((byte) => byte / 128 - 1);
}
