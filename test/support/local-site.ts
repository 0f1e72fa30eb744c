import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one path of the local site answers. */
export type Route =
  | { readonly kind: 'page'; body: string; readonly type?: string; readonly validators?: 'etag' | 'last-modified' | 'none' }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'redirect'; readonly status?: number; readonly location: string }
  /** Sends headers, then nothing until the client gives up (a slow server). */
  | { readonly kind: 'slow' }
  /** Streams `bytes` bytes of HTML with no Content-Length (a huge page). */
  | { readonly kind: 'huge'; readonly bytes: number };

/** Requests seen per path: all of them, and those answered 304 Not Modified. */
export interface PathCounters {
  requests: number;
  notModified: number;
}

/**
 * A small web site on 127.0.0.1 for source tests: pages with ETag or Last-Modified validators (answering 304 to a
 * matching conditional request), statuses, redirects, a slow page and a huge one. Routes can be changed between
 * two syncs; `counters` tells what the client asked.
 */
export class LocalSite {
  readonly routes = new Map<string, Route>();
  readonly counters = new Map<string, PathCounters>();
  readonly userAgents = new Set<string>();
  private readonly server: http.Server;
  private readonly open = new Set<http.ServerResponse>();

  private constructor() {
    this.server = http.createServer((request, response) => this.answer(request, response));
  }

  static async start(): Promise<LocalSite> {
    const site = new LocalSite();
    await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
    return site;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  page(path: string, body: string, options: { type?: string; validators?: 'etag' | 'last-modified' | 'none' } = {}): void {
    this.routes.set(path, { kind: 'page', body, ...options });
  }

  counter(path: string): PathCounters {
    let counter = this.counters.get(path);
    if (!counter) this.counters.set(path, (counter = { requests: 0, notModified: 0 }));
    return counter;
  }

  async close(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = new URL(request.url ?? '/', this.origin).pathname;
    const counter = this.counter(path);
    counter.requests++;
    this.userAgents.add(request.headers['user-agent'] ?? '');
    const route = this.routes.get(path);
    if (!route) return void response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
    switch (route.kind) {
      case 'status':
        return void response.writeHead(route.status, { 'content-type': 'text/html' }).end(`<h1>${route.status}</h1>`);
      case 'redirect':
        return void response.writeHead(route.status ?? 302, { location: route.location }).end();
      case 'slow':
        this.open.add(response);
        response.on('close', () => this.open.delete(response));
        return void response.writeHead(200, { 'content-type': 'text/html' }).write('<html><body><p>Loading');
      case 'huge': {
        response.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < route.bytes && !response.destroyed) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          response.end();
        };
        response.on('error', () => undefined);
        return pump();
      }
      case 'page': {
        const tag = `"${crypto.createHash('sha1').update(route.body).digest('hex').slice(0, 16)}"`;
        const modified = new Date(Date.UTC(2026, 0, 1) + route.body.length * 1000).toUTCString();
        const validators = route.validators ?? 'etag';
        const headers: Record<string, string> = { 'content-type': route.type ?? 'text/html; charset=utf-8' };
        if (validators === 'etag') headers.etag = tag;
        if (validators === 'last-modified') headers['last-modified'] = modified;
        const fresh =
          (validators === 'etag' && request.headers['if-none-match'] === tag) ||
          (validators === 'last-modified' && request.headers['if-modified-since'] === modified);
        if (fresh) {
          counter.notModified++;
          return void response.writeHead(304, headers).end();
        }
        return void response.writeHead(200, headers).end(route.body);
      }
    }
  }
}

/** A documentation page with the furniture real sites have around the article. */
export function docsPage(title: string, paragraphs: readonly string[], links: readonly string[] = []): string {
  return `<!doctype html><html><head><title>${title} | Widget Docs</title></head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience on our site. By continuing you agree to our use of cookies.</p><button>Accept all cookies</button></div>
<header class="site-header"><a href="/">Widget Docs</a><nav><a href="/docs/">Guide</a> <a href="/blog/">Blog</a></nav></header>
<aside class="sidebar"><ul>${links.map((link) => `<li><a href="${link}">${link}</a></li>`).join('')}</ul></aside>
<main><article><h1>${title}</h1>
${paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n')}
</article></main>
<footer class="site-footer"><p>Copyright 2026 Widget Corporation. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>`;
}
