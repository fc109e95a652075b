/** A fresh database for a benchmark: on DATABASE_URL's server if set, else an embedded one of its own. */
import { createDatabase, postgresServer } from '../../tests/kit/database';

export interface BenchDatabase {
  url: string;
  close(): Promise<void>;
}

export async function benchDatabase(): Promise<BenchDatabase> {
  // A server of this run's own, so benchmarks run side by side never stop each other's.
  const postgres = await postgresServer(`.data/bench/run-${process.pid}`, 'bench-pg');
  const db = await createDatabase(postgres.adminUrl, 'cvsm_bench');
  return {
    url: db.url,
    close: async () => {
      await db.drop();
      await postgres.stop();
    },
  };
}
