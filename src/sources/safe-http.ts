import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { createError } from '../errors.ts';
import { checkAddress, isAddressLiteral } from './address-rule.ts';

/** How far an admin-supplied URL may reach, and how much it may cost. */
export interface FetchPolicy {
  /** ALLOW_PRIVATE_SOURCES: loopback, private and link-local addresses may be fetched (never metadata ones). */
  readonly allowPrivate: boolean;
  /** Largest body accepted (after decompression); a larger one is aborted while it streams. */
  readonly maxBytes: number;
  /** Longest one request may take, from connecting to the last byte. */
  readonly timeoutMs: number;
  /** Redirects followed before giving up (each one checked like the first URL). */
  readonly maxRedirects: number;
  readonly userAgent: string;
}

export interface FetchedPage {
  /** The URL after redirects. */
  readonly url: string;
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Empty for a 304 Not Modified. */
  readonly body: Buffer;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Checks a URL's form before anything is fetched: http(s) only, no user name or password in it. Returns the parsed
 * URL. An IP literal host is checked here too; a name is checked when it resolves (see {@link safeFetch}).
 */
export function checkSourceUrl(raw: string, policy: Pick<FetchPolicy, 'allowPrivate'>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw createError('SOURCE_URL_REFUSED', raw, 'it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw createError('SOURCE_URL_REFUSED', raw, `only http and https URLs can be sources, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username !== '' || url.password !== '') throw createError('SOURCE_URL_REFUSED', raw, 'credentials in the URL are not accepted');
  if (isAddressLiteral(url.hostname)) {
    const verdict = checkAddress(url.hostname, policy.allowPrivate);
    if (verdict) throw createError('SOURCE_URL_REFUSED', raw, addressRefusal(verdict));
  }
  return url;
}

function addressRefusal(verdict: string): string {
  return `${verdict}, and sources may not reach the host's own network (ALLOW_PRIVATE_SOURCES=true allows it)`;
}

/**
 * A DNS lookup that refuses a name when any address it resolves to is refused by the address rule. The HTTP client
 * connects to exactly the address this returns, so a name cannot resolve to a public address when checked and a
 * private one when connected (no time-of-check/time-of-use gap, no DNS rebinding).
 */
export function checkedLookup(allowPrivate: boolean, resolve: typeof dns.lookup = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true, family: options.family ?? 0, hints: options.hints }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((entry) => checkAddress(entry.address, allowPrivate)).find((verdict) => verdict !== null);
      if (refused || addresses.length === 0) {
        const failure = Object.assign(new Error(`${hostname} resolves to ${refused ? addressRefusal(refused) : 'no address'}`), { code: 'ESOURCEREFUSED' });
        return callback(failure, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * GET `url` within `policy`: every hop of a redirect is checked again (scheme, address), bodies are capped while
 * they stream and slow servers time out. Non-2xx answers are returned (the caller decides); a refusal, a network
 * failure, a timeout or an oversized body throws a coded error.
 */
export async function safeFetch(url: string, policy: FetchPolicy, headers: Readonly<Record<string, string>> = {}): Promise<FetchedPage> {
  let current = checkSourceUrl(url, policy);
  for (let hop = 0; ; hop++) {
    const page = await requestOnce(current, policy, headers);
    const location = page.headers.location;
    if (!REDIRECTS.has(page.status) || location === undefined) return page;
    if (hop >= policy.maxRedirects) throw createError('SOURCE_FETCH_FAILED', url, `more than ${policy.maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw createError('SOURCE_FETCH_FAILED', url, 'a redirect to something that is not a URL');
    }
    current = checkRedirect(next, url, policy);
  }
}

function checkRedirect(next: URL, original: string, policy: FetchPolicy): URL {
  try {
    return checkSourceUrl(next.href, policy);
  } catch (error) {
    throw createError('SOURCE_URL_REFUSED', original, `it redirects to ${next.href}, refused: ${(error as Error).message}`);
  }
}

function requestOnce(url: URL, policy: FetchPolicy, extraHeaders: Readonly<Record<string, string>>): Promise<FetchedPage> {
  const client = url.protocol === 'https:' ? https : http;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return new Promise<FetchedPage>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string, code: 'SOURCE_FETCH_FAILED' | 'SOURCE_URL_REFUSED' = 'SOURCE_FETCH_FAILED') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(createError(code, url.href, reason));
    };
    const request = client.request(
      {
        host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        agent: false,
        lookup: checkedLookup(policy.allowPrivate),
        headers: { 'user-agent': policy.userAgent, accept: 'text/html,application/xhtml+xml,text/plain,text/markdown,application/xml;q=0.9,*/*;q=0.5', 'accept-encoding': 'gzip, deflate', ...extraHeaders },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
        if (REDIRECTS.has(status) || status === 304 || status >= 400) {
          response.resume();
          settled = true;
          clearTimeout(timer);
          request.destroy();
          return resolve({ url: url.href, status, headers, body: Buffer.alloc(0) });
        }
        const declared = Number(headers['content-length']);
        if (Number.isFinite(declared) && declared > policy.maxBytes) return fail(`the body is ${declared} bytes, over the ${policy.maxBytes}-byte limit`);
        const encoding = (headers['content-encoding'] ?? 'identity').toLowerCase();
        const stream = encoding === 'gzip' ? response.pipe(zlib.createGunzip()) : encoding === 'deflate' ? response.pipe(zlib.createInflate()) : response;
        if (!['gzip', 'deflate', 'identity', ''].includes(encoding)) return fail(`unsupported content encoding ${encoding}`);
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > policy.maxBytes) return fail(`the body is over the ${policy.maxBytes}-byte limit`);
          chunks.push(chunk);
        });
        stream.on('error', (error) => fail(error.message));
        stream.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ url: url.href, status, headers, body: Buffer.concat(chunks) });
        });
      },
    );
    const timer = setTimeout(() => fail(`no complete answer within ${policy.timeoutMs} ms`), policy.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ESOURCEREFUSED') fail(error.message, 'SOURCE_URL_REFUSED');
      else fail(error.code ? `${error.code} ${error.message}`.replace(/^(\w+) \1\b/, '$1') : error.message);
    });
    request.end();
  });
}
