/** The set-up most benchmarks share: a fresh database and the real server on it. */
import { benchDatabase, type BenchDatabase } from './database';
import { startServer } from './process';

export type BenchServer = Awaited<ReturnType<typeof startServer>>;

/** Runs `body` against the server on a fresh database; stops both afterwards, whatever `body` did. */
export async function withBenchServer<T>(
  env: Record<string, string>,
  body: (server: BenchServer, db: BenchDatabase) => Promise<T>,
): Promise<T> {
  const db = await benchDatabase();
  const server = await startServer(db.url, env);
  try {
    return await body(server, db);
  } finally {
    await server.stop();
    await db.close();
  }
}
