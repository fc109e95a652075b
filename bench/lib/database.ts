/** A fresh database for a benchmark: on DATABASE_URL's server if set, else an embedded one. */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/server/db/embeddedPostgres';
import { createLogger } from '../../src/lib/logger';

export interface BenchDatabase {
  url: string;
  close(): Promise<void>;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  // A server of this run's own, so benchmarks run side by side never stop each other's.
  const dataDir = `.data/bench/run-${process.pid}`;
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(dataDir, createLogger('warn', 'bench-pg'));
  const adminUrl = process.env.DATABASE_URL ?? embedded!.adminUrl;
  const name = `cvsm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    close: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      if (embedded) {
        await embedded.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
