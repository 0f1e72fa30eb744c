import { describe, expect, it } from 'vitest';
import { isUnreachable, withRetry } from '../../../src/store/postgres-store/retry.ts';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });

describe('retries against the database', () => {
  it('tells an unreachable database from a wrong request', () => {
    expect([refused, { code: '57P01' }, { code: '08006' }, new Error('Connection terminated unexpectedly')].map(isUnreachable)).toEqual([true, true, true, true]);
    expect([syntax, { code: '23505' }, new Error('boom'), null].map(isUnreachable)).toEqual([false, false, false, false]);
  });

  it('tries again while the database is unreachable, up to the limit, and never on a wrong request', async () => {
    let calls = 0;
    expect(await withRetry(async () => (++calls < 3 ? Promise.reject(refused) : 'ok'), { attempts: 3, firstDelayMs: 1 })).toBe('ok');
    expect(calls).toBe(3);

    calls = 0;
    await expect(withRetry(async () => { calls++; throw refused; }, { attempts: 3, firstDelayMs: 1 })).rejects.toBe(refused);
    expect(calls).toBe(3);

    calls = 0;
    await expect(withRetry(async () => { calls++; throw syntax; }, { attempts: 3, firstDelayMs: 1 })).rejects.toBe(syntax);
    expect(calls).toBe(1);
  });
});
