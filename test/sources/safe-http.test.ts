import type dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedLookup, safeFetch, type FetchPolicy } from '../../src/sources/safe-http.ts';
import { LocalSite } from '../support/local-site.ts';

let site: LocalSite;
const allowed: FetchPolicy = { allowPrivate: true, maxBytes: 64 * 1024, timeoutMs: 400, maxRedirects: 3, userAgent: 'docqa-test' };
const strict: FetchPolicy = { ...allowed, allowPrivate: false };

beforeAll(async () => {
  site = await LocalSite.start();
  site.page('/ok', '<p>fine</p>');
  site.routes.set('/slow', { kind: 'slow' });
  site.routes.set('/huge', { kind: 'huge', bytes: 4 * 1024 * 1024 });
  site.routes.set('/to-metadata', { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/' });
  site.routes.set('/to-mapped-metadata', { kind: 'redirect', location: 'http://[::ffff:a9fe:a9fe]/' });
  site.routes.set('/to-file', { kind: 'redirect', location: 'file:///etc/passwd' });
  site.routes.set('/to-ok', { kind: 'redirect', status: 301, location: '/ok' });
  site.routes.set('/loop', { kind: 'redirect', location: '/loop' });
});

afterAll(() => site.close());

describe('safeFetch', () => {
  it('refuses the local site when private addresses are not allowed, by its address and by a name resolving to it', async () => {
    await expect(safeFetch(site.url('/ok'), strict)).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    await expect(safeFetch(site.url('/ok').replace('127.0.0.1', 'localhost'), strict)).rejects.toThrow(/localhost resolves to .*loopback/);
    expect(site.counter('/ok').requests).toBe(0);
  });

  it('fetches it with ALLOW_PRIVATE_SOURCES, following a redirect', async () => {
    const page = await safeFetch(site.url('/to-ok'), allowed);
    expect(page).toMatchObject({ status: 200, url: site.url('/ok') });
    expect(page.body.toString()).toBe('<p>fine</p>');
  });

  it('checks every redirect again: to a metadata address (also IPv4-mapped) or another scheme is refused', async () => {
    await expect(safeFetch(site.url('/to-metadata'), allowed)).rejects.toThrow(/redirects to http:\/\/169\.254\.169\.254\/latest\/meta-data\/, refused: .*metadata/);
    await expect(safeFetch(site.url('/to-mapped-metadata'), allowed)).rejects.toThrow(/metadata/);
    await expect(safeFetch(site.url('/to-file'), allowed)).rejects.toThrow(/only http and https/);
  });

  it('stops after the redirect cap', async () => {
    await expect(safeFetch(site.url('/loop'), allowed)).rejects.toThrow(/more than 3 redirects/);
  });

  it('times out a slow server', async () => {
    await expect(safeFetch(site.url('/slow'), allowed)).rejects.toThrow(/no complete answer within 400 ms/);
  });

  it('aborts a body over the size limit while it streams', async () => {
    await expect(safeFetch(site.url('/huge'), allowed)).rejects.toThrow(/over the 65536-byte limit/);
  });
});

describe('checkedLookup (the address the connection uses is the one checked)', () => {
  const fakeDns = (addresses: string[]) =>
    ((_host: string, _options: unknown, callback: (error: null, addresses: dns.LookupAddress[]) => void) =>
      callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as unknown as typeof dns.lookup;

  const lookup = (addresses: string[], all: boolean) =>
    new Promise<unknown>((resolve, reject) =>
      checkedLookup(false, fakeDns(addresses))('docs.example.com', { all }, (error, address) => (error ? reject(error) : resolve(address))),
    );

  it('refuses a name when any of its addresses is private (a rebinding name mixing public and private ones)', async () => {
    await expect(lookup(['93.184.216.34', '10.0.0.7'], false)).rejects.toThrow(/10\.0\.0\.7 is a private address/);
    await expect(lookup(['2606:2800:220:1::1', '::ffff:127.0.0.1'], true)).rejects.toThrow(/loopback/);
  });

  it('hands the checked addresses to the connection', async () => {
    await expect(lookup(['93.184.216.34'], false)).resolves.toBe('93.184.216.34');
    await expect(lookup(['93.184.216.34', '2606:2800:220:1::1'], true)).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });
});
