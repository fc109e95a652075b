/**
 * Fresh databases for a test run outside vitest (the Python client's pytest suite): on the
 * PostgreSQL in DATABASE_URL when set, otherwise on an embedded one of its own. Prints
 * `{"database_urls": [...]}` (as many as the first argument says, default 1) as one line,
 * then holds them until stdin closes (the test run ended or died), and drops them, stopping
 * the embedded server.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/server/db/embeddedPostgres';
import { createLogger } from '../src/lib/logger';

const dataDir = `.data/test/py-${process.pid}`;
let embedded: EmbeddedDatabase | undefined;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  embedded = await startEmbeddedPostgres(dataDir, createLogger('warn', 'test-pg'));
  adminUrl = embedded.adminUrl;
}

const count = Math.max(1, Number(process.argv[2] ?? 1) || 1);
const names = Array.from({ length: count }, () => `cvsm_py_${randomBytes(6).toString('hex')}`);
const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql);
  await client.end();
};
const urls: string[] = [];
for (const name of names) {
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  urls.push(url.toString());
}
process.stdout.write(`${JSON.stringify({ database_urls: urls })}\n`);

let done = false;
async function cleanUp(): Promise<void> {
  if (done) return;
  done = true;
  for (const name of names) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  if (embedded) {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}
process.stdin.on('end', () => void cleanUp());
process.stdin.on('close', () => void cleanUp());
process.stdin.resume();
process.on('SIGTERM', () => void cleanUp());
process.on('SIGINT', () => void cleanUp());
