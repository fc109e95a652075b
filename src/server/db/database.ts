/**
 * Opens the app's database: the server named by DATABASE_URL, or an embedded one. Pending
 * migrations are applied before anything else uses it.
 *
 * One pg pool serves both Prisma Client (through @prisma/adapter-pg, no native engine) and
 * the few hot-path statements written in SQL (see services/eventWriter.ts).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../../lib/logger';
import { startEmbeddedPostgres } from './embeddedPostgres';
import { applyMigrations } from './migrate';

export interface Database {
  url: string;
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Whether the database answers a trivial query within `timeoutMs`. */
  answers(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; when absent an embedded server is started under dataDir. */
  url?: string;
  dataDir: string;
  log: Logger;
  poolSize?: number;
  /** Longest a statement may run (server-side cancel, and a client-side limit for a database that does not answer). */
  statementTimeoutMs?: number;
  /** Longest wait for a connection, new or from the pool. */
  connectTimeoutMs?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { log } = options;
  // The app stops it in Database.close, after its graceful shutdown; a process interrupted
  // without closing leaves it running, to be adopted by the next start.
  const embedded = options.url ? null : await startEmbeddedPostgres(options.dataDir, log.child('pg'), { ownsSignals: true });
  const url = options.url ?? embedded!.url;
  try {
    // On a pool of its own with no statement timeout: a migration may rightly take long.
    const migrationPool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const { applied } = await applyMigrations(migrationPool);
      if (applied.length) log.info('applied migrations', { migrations: applied.join(',') });
    } finally {
      await migrationPool.end();
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const statementTimeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A busy database cancels the statement itself (57014); one that does not answer at all
    // (hung, or its network) is given up on by the client a moment later.
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 500,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection (database restarted) must not crash the process.
  pool.on('error', (error) => log.warn('idle database connection lost', { error: error.message }));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    pool,
    prisma,
    answers: (timeoutMs) =>
      Promise.race([
        pool.query('SELECT 1').then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
      ]).catch(() => false),
    close: async () => {
      await prisma.$disconnect().catch(() => {});
      await pool.end().catch(() => {});
      await embedded?.stop();
    },
  };
}
