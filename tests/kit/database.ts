/**
 * Databases of their own for a test file, a benchmark or the Python tests, on one PostgreSQL
 * server: the one in DATABASE_URL when set, otherwise an embedded one started for the run.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/server/db/embeddedPostgres';
import { createLogger } from '../../src/lib/logger';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export interface PostgresServer {
  /** A URL to the server's maintenance database, to create and drop others. */
  adminUrl: string;
  /** Stops the embedded server and removes its data; nothing for DATABASE_URL's. */
  stop(): Promise<void>;
}

/** DATABASE_URL's server, or an embedded one in `dataDir` (of this run's own, so runs side by side never stop each other's). */
export async function postgresServer(dataDir: string, logName: string): Promise<PostgresServer> {
  const given = process.env.DATABASE_URL;
  if (given) return { adminUrl: given, stop: async () => {} };
  const embedded = await startEmbeddedPostgres(dataDir, createLogger('warn', logName));
  return {
    adminUrl: embedded.adminUrl,
    stop: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function runAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database named `<prefix>_<random>` on the server of `adminUrl`. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => runAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
