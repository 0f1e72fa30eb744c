import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../support/postgres/test-postgres.ts';

/** A test server, and a fresh database in it per test (migrations start from nothing each time). */
export class PostgresDatabases {
  private count = 0;
  private constructor(readonly server: TestPostgres) {}

  static async start(): Promise<PostgresDatabases> {
    return new PostgresDatabases(await startTestPostgres());
  }

  /** A new, empty database; returns its URL. */
  async create(): Promise<string> {
    const name = `docqa_test_${process.pid}_${++this.count}`;
    const admin = new pg.Client({ connectionString: this.server.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return this.server.url.replace(/\/[^/]*$/, `/${name}`);
  }
}
