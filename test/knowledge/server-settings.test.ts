import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.ts';
import { KnowledgeDatabase } from '../../src/knowledge/database.ts';
import { effectiveSettings, SqliteServerSettings } from '../../src/knowledge/server-settings.ts';
import { silentLogger } from '../../src/logger.ts';

const DEFAULTS = { qaChannelIds: ['env-channel'], answerInThread: true };

describe('SqliteServerSettings', () => {
  it('keeps each server its own settings, survives a reopen, and null goes back to the .env default', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'settings-')), 'knowledge.db');
    const database = KnowledgeDatabase.open({ file, logger: silentLogger });
    const store = new SqliteServerSettings(database);
    store.update('A', { qaChannels: ['a1'], minScore: 0.5, channelDocuments: { api: ['api/'] } });
    store.update('A', { passagesPerAnswer: 2 });
    expect(store.get('A')).toEqual({ qaChannels: ['a1'], minScore: 0.5, passagesPerAnswer: 2, channelDocuments: { api: ['api/'] } });
    expect(store.get('B')).toEqual({});
    database.close();

    const reopened = new SqliteServerSettings(KnowledgeDatabase.open({ file, logger: silentLogger }));
    expect(reopened.update('A', { minScore: null, channelDocuments: { api: [] } })).toEqual({ qaChannels: ['a1'], passagesPerAnswer: 2 });
    const effective = effectiveSettings(DEFAULTS, reopened.get('A'));
    expect(effective).toMatchObject({ qaChannelIds: ['a1'], answerInThread: true, publicAnswers: false, minScore: undefined, passagesPerAnswer: 2 });
    expect(effectiveSettings(DEFAULTS, reopened.get('B')).qaChannelIds).toEqual(['env-channel']);
  });

  it('limits a channel, and the threads under it, to its documents', () => {
    const effective = effectiveSettings(DEFAULTS, { channelDocuments: { api: ['api/tokens.md'] } });
    expect(effective.documentsFor('api')).toEqual(['api/tokens.md']);
    expect(effective.documentsFor('thread-in-api', 'api')).toEqual(['api/tokens.md']);
    expect(effective.documentsFor('general')).toBeUndefined();
  });

  it('answers with the defaults and refuses changes with a message while the store is unreadable', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'settings-')), 'knowledge.db');
    fs.writeFileSync(file, 'this is not a database '.repeat(100));
    const store = new SqliteServerSettings(KnowledgeDatabase.open({ file, logger: silentLogger }));
    expect(store.get('A')).toEqual({});
    let error: unknown;
    try {
      store.update('A', { minScore: 0.4 });
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error, 'SETTINGS_UNAVAILABLE')).toBe(true);
  });
});
