import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: os.tmpdir(), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** A git repository made with `git init` in a temporary folder; commit files into it. */
export class LocalRepository {
  readonly folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-repo-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.folder, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  }

  /** Writes files (`null` deletes one; `{ link }` makes a symbolic link) and commits them. */
  commit(files: Record<string, string | null | { link: string }>, message = 'change'): void {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(this.folder, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (content === null) fs.rmSync(file, { force: true });
      else if (typeof content === 'object') fs.symlinkSync(content.link, file);
      else fs.writeFileSync(file, content);
    }
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }

  remove(): void {
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}

/**
 * Serves repositories over git's smart HTTP protocol on 127.0.0.1 with `git http-backend` (CGI), as a forge
 * would: `http://127.0.0.1:<port>/<name>.git`. Counts the requests, so a test can see an unchanged sync make
 * only the ls-remote one, and the bytes of the responses, so a test can see what a clone fetched.
 */
export class LocalGitServer {
  requests = 0;
  bytesSent = 0;
  private readonly server: http.Server;
  private readonly repositories = new Map<string, string>();

  private constructor() {
    this.server = http.createServer((request, response) => this.answer(request, response));
  }

  static async start(): Promise<LocalGitServer> {
    const server = new LocalGitServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** Serves a repository's folder as `<name>.git`; returns its clone URL. */
  serve(name: string, repository: LocalRepository): string {
    this.repositories.set(`${name}.git`, repository.folder);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${name}.git`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.requests++;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, name, ...rest] = url.pathname.split('/');
    const folder = this.repositories.get(name ?? '');
    if (!folder) return void response.writeHead(404).end();
    const backend = spawn('git', ['http-backend'], {
      env: {
        ...GIT_ENV,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: path.join(folder, '.git'),
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${rest.join('/')}`,
        REQUEST_METHOD: request.method ?? 'GET',
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    request.pipe(backend.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    backend.stdout.on('data', (chunk: Buffer) => {
      this.bytesSent += chunk.byteLength;
      if (headersSent) return void response.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (key.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[key] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + 4));
    });
    backend.on('close', () => response.end());
  }
}
