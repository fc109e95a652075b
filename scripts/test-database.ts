/**
 * Fresh databases for a test run outside vitest (the Python client's pytest suite): on the
 * PostgreSQL in DATABASE_URL when set, otherwise on an embedded one of its own. Prints
 * `{"database_urls": [...]}` (as many as the first argument says, default 1) as one line,
 * then holds them until stdin closes (the test run ended or died), and drops them, stopping
 * the embedded server.
 */
import { createDatabase, postgresServer, type TestDatabase } from '../tests/kit/database';

const postgres = await postgresServer(`.data/test/py-${process.pid}`, 'test-pg');
const count = Math.max(1, Number(process.argv[2] ?? 1) || 1);
const databases: TestDatabase[] = [];
for (let i = 0; i < count; i++) databases.push(await createDatabase(postgres.adminUrl, 'cvsm_py'));
process.stdout.write(`${JSON.stringify({ database_urls: databases.map((d) => d.url) })}\n`);

let done = false;
async function cleanUp(): Promise<void> {
  if (done) return;
  done = true;
  for (const db of databases) await db.drop().catch(() => {});
  await postgres.stop();
  process.exit(0);
}
process.stdin.on('end', () => void cleanUp());
process.stdin.on('close', () => void cleanUp());
process.stdin.resume();
process.on('SIGTERM', () => void cleanUp());
process.on('SIGINT', () => void cleanUp());
