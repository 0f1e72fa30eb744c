import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedEmbedder } from '../../../src/tools/eval/cached-embedder.ts';
import { createConceptEmbedder } from '../../support/fake-embedder.ts';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

describe('CachedEmbedder', () => {
  it('embeds each text once across runs, per model, keeping queries and passages apart and the order of texts', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-cache-'));
    folders.push(folder);
    const first = createConceptEmbedder();
    const cached = CachedEmbedder.open(first, folder);
    const vectors = await cached.embedPassages(['red car', 'blue bicycle']);
    await cached.embedQuery('red car');
    cached.save();

    const second = createConceptEmbedder();
    let queries = 0;
    const embedQuery = second.embedQuery;
    second.embedQuery = (text) => (queries++, embedQuery(text));
    const again = CachedEmbedder.open(second, folder);
    const mixed = await again.embedPassages(['blue bicycle', 'green bus', 'red car']);
    expect(second.texts).toBe(1);
    expect(mixed[0]).toEqual(vectors[1]);
    expect(mixed[2]).toEqual(vectors[0]);
    expect(mixed[1]).toEqual((await createConceptEmbedder().embedPassages(['green bus']))[0]);
    await again.embedQuery('red car');
    await again.embedQuery('red bus');
    expect(queries).toBe(1);

    const otherModel = createConceptEmbedder({ modelId: 'fake/other' });
    await CachedEmbedder.open(otherModel, folder).embedPassages(['red car']);
    expect(otherModel.texts).toBe(1);
  });
});
