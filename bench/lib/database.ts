/** A fresh database for a benchmark: on DATABASE_URL's server if set, else an embedded one of its own. */
import path from 'node:path';
import { createDatabase, postgresServer } from '../../tests/kit/database';

export interface BenchDatabase {
  url: string;
  /** The embedded server's data folder (its CPU can be read, see postgresCpuSeconds); none on DATABASE_URL's server. */
  dataDir?: string;
  close(): Promise<void>;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  // A server of this run's own, so benchmarks run side by side never stop each other's.
  const dataDir = `.data/bench/run-${process.pid}`;
  const postgres = await postgresServer(dataDir, 'bench-pg');
  const db = await createDatabase(postgres.adminUrl, 'cvsm_bench');
  return {
    url: db.url,
    // The embedded server keeps its cluster in pg/ under the folder it is given.
    dataDir: process.env.DATABASE_URL ? undefined : path.join(dataDir, 'pg'),
    close: async () => {
      await db.drop();
      await postgres.stop();
    },
  };
}
