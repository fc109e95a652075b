/**
 * Builds the web app if needed, then starts a fresh stack: an embedded PostgreSQL under
 * e2e/results (the same one the app starts by default, not a server of the machine's), the
 * server on a free port, and the collector. Returns the teardown.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/server/db/embeddedPostgres';
import { createLogger } from '../src/lib/logger';
import { freePort } from '../tests/kit/freePort';
import { stopPid } from '../tests/kit/processes';
import { ensureBuild, readState, RESULTS, startCollector, startServer, writeState } from './support/stack';

export default async function globalSetup(): Promise<() => Promise<void>> {
  rmSync(path.join(RESULTS, 'db'), { recursive: true, force: true });
  for (const log of ['server.log', 'collector.log']) rmSync(path.join(RESULTS, log), { force: true });
  ensureBuild();
  const db = await startEmbeddedPostgres(path.join(RESULTS, 'db'), createLogger('warn'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serverPid = await startServer(port, db.url);
  const collectorPid = startCollector(url);
  writeState({ url, port, databaseUrl: db.url, serverPid, collectorPid });
  process.env.E2E_BASE_URL = url;

  return async () => {
    const s = readState();
    await stopPid(s.collectorPid);
    await stopPid(s.serverPid);
    await db.stop();
  };
}
