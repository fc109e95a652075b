/**
 * SIGTERM, as a service manager stops the app: the request in flight is finished, tRPC
 * socket clients are told to reconnect, the embedded PostgreSQL is stopped, and the
 * process exits 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TRPC_WS_PATH } from '../src/server/app';
import { call } from './helpers/plain';
import { freePort } from './kit/freePort';
import { alive } from './kit/processes';
import { serverProcess, type ServerProcess } from './kit/serverProcess';
import { until } from './kit/until';

// The server starts its own embedded PostgreSQL here, as `npm start` does.
const DATA_DIR = `.data/test/shutdown-${process.pid}`;
const PID_FILE = path.join(DATA_DIR, 'pg', 'postmaster.pid');
let server: ServerProcess;

beforeAll(async () => {
  server = serverProcess(null, await freePort(), { env: { DATA_DIR } });
  await server.start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await rm(DATA_DIR, { recursive: true, force: true });
});

it('finishes the request in flight, tells socket clients to reconnect, stops its database and exits 0', async () => {
  const postgresPid = Number(readFileSync(PID_FILE, 'utf8').split('\n')[0]);
  expect(alive(postgresPid)).toBe(true);

  // A tRPC socket client, connected and subscribed.
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${TRPC_WS_PATH}`);
  const messages: { id?: unknown; method?: string }[] = [];
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as { id?: unknown; method?: string }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'session.changes', input: { json: undefined } } }));
  await until(() => messages.some((m) => m.id === 1), 'the subscription to start');

  // A request in flight: an ingest held up by a row lock the test takes in the database.
  expect((await call(server.url, 'POST', '/api/v1/training/logs/session', { experiment_id: 'graceful' })).status).toBe(200);
  const [port, password] = [
    readFileSync(PID_FILE, 'utf8').split('\n')[3],
    readFileSync(path.join(DATA_DIR, 'pg-password'), 'utf8').trim(),
  ];
  const sql = new pg.Client({ connectionString: `postgresql://cvsm:${encodeURIComponent(password)}@127.0.0.1:${port}/cvsm` });
  await sql.connect();
  await sql.query('BEGIN');
  await sql.query("SELECT id FROM training_session WHERE experiment_id = 'graceful' FOR UPDATE");
  const ingest = fetch(`${server.url}/api/trpc/session.ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      json: { experimentId: 'graceful', producer: { id: 'p' }, events: [{ type: 'log', message: 'in flight', producerSeq: 1 }] },
    }),
  });
  await until(
    async () => (await sql.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).rowCount === 1,
    'the ingest to wait for the lock',
  );

  const exited = server.stop(); // SIGTERM
  // The socket client is told to reconnect, then its socket is closed as "going away".
  expect(await closed).toBe(1001);
  expect(messages.some((m) => m.id === null && m.method === 'reconnect')).toBe(true);

  // The request in flight still completes, and what it stored is committed.
  await sql.query('COMMIT');
  const answer = await ingest;
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ result: { data: { json: { stored: 1, duplicates: 0 } } } });
  const { rows } = await sql.query<{ message: string }>('SELECT message FROM log_entry');
  expect(rows).toEqual([{ message: 'in flight' }]);
  await sql.end().catch(() => {}); // the database is going away with the server

  expect(await exited).toEqual({ code: 0, signal: null });
  expect(alive(postgresPid)).toBe(false);
  expect(existsSync(PID_FILE)).toBe(false);
  expect(server.output).toContain('SIGTERM: shutting down');
}, 60_000);
