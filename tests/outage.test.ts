/**
 * PostgreSQL stops under load and starts again. Meanwhile /health and ingest answer 503,
 * open subscriptions (tRPC and a plain socket) stay open, and afterwards everything recovers
 * by itself: the SDK run that kept logging through the outage ends with every event stored
 * once, in order, and the subscribers receive all of them.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { type Run } from '../src/sdk';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/server/db/embeddedPostgres';
import { silentLogger } from '../src/lib/logger';
import type { SessionEvent } from '../src/shared/types';
import { EventCollector } from './helpers/collect';
import { call, PlainSocket } from './helpers/plain';
import { recordingMonitor } from './helpers/recordingMonitor';
import { wsClient } from './helpers/server';
import { freePort } from './kit/freePort';
import { serverProcess, type ServerProcess } from './kit/serverProcess';
import { until } from './kit/until';

// A PostgreSQL of this test's own: stopping the shared one would fail every other test file.
const DATA_DIR = `.data/test/outage-${process.pid}`;
let pgPort: number;
let postgres: EmbeddedDatabase | null = null;
let server: ServerProcess;

const startPostgres = async () => {
  postgres = await startEmbeddedPostgres(DATA_DIR, silentLogger, { port: pgPort });
  return postgres;
};
const stopPostgres = async () => {
  await postgres?.stop();
  postgres = null;
};

beforeAll(async () => {
  pgPort = await freePort();
  const { url } = await startPostgres();
  server = serverProcess(url, await freePort());
  await server.start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await stopPostgres();
  await rm(DATA_DIR, { recursive: true, force: true });
});

const RUN = 'outage';
const TOTAL = 3000;

/** Event i: every fifth a metric report (its step is i), the others log lines naming i. */
function emit(run: Run, i: number): void {
  if (i % 5 === 0) run.metrics({ epoch: 1, step: i, values: { loss: 1 / i } });
  else run.info(`event ${i}`);
}
const numberOf = (e: SessionEvent) =>
  e.type === 'log' ? Number(e.data.message.slice(6)) : e.type === 'metrics' ? (e.data.step ?? -1) : null;

it('answers 503 while PostgreSQL is down, keeps subscriptions open, and loses nothing', async () => {
  // The server's log says what went wrong, should anything.
  onTestFailed(() => console.error(server.output.slice(-6000)));
  // Subscribers first, before the run exists: both wait for it.
  const trpc = wsClient(server.url, { retryDelayMs: () => 100 });
  const seen = new EventCollector();
  const subscriptionErrors: unknown[] = [];
  await new Promise<void>((resolve) => {
    trpc.client.session.events.subscribe(
      { experimentId: RUN },
      { onStarted: () => resolve(), onData: seen.onData, onError: (e) => subscriptionErrors.push(e) },
    );
  });
  const plain = await PlainSocket.open(server.url, `/api/v1/ws/training/${RUN}`);
  let plainClosed = false;
  void plain.closed.then(() => (plainClosed = true));

  const { monitor, errors } = recordingMonitor({
    url: server.url,
    batchSize: 100,
    retry: { initialDelayMs: 50, maxDelayMs: 500 },
    requestTimeoutMs: 5000,
  });
  const run = await monitor.startRun({ experimentId: RUN, totalEpochs: 1 });
  // Load: the trainer logs steadily, whatever the server's state.
  let next = 1;
  const trainer = setInterval(() => {
    for (let k = 0; k < 10 && next <= TOTAL; k++) emit(run, next++);
  }, 5);
  const state = () => ({ next, stats: run.stats(), errors: errors.slice(-3).map((e) => e.message) });

  await until(() => run.stats().delivered >= 500, 'the first events to be stored', 60_000, state);
  await stopPostgres();
  const downSince = Date.now();

  // Down: the server says so, and refuses writes with 503 rather than failing them.
  await until(async () => (await fetch(`${server.url}/health`)).status === 503, '/health to answer 503', 20_000);
  const health = await fetch(`${server.url}/health`);
  expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'unavailable' });
  const rest = await call(server.url, 'POST', `/api/v1/training/logs/${RUN}/log`, { level: 'INFO', message: 'while down' });
  expect(rest.status).toBe(503);
  expect(rest.json).toMatchObject({ error: true, status_code: 503 });
  const ingest = await fetch(`${server.url}/api/trpc/session.ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { experimentId: RUN, events: [{ type: 'log', message: 'while down' }] } }),
  });
  expect(ingest.status).toBe(503);
  expect(await ingest.text()).toContain('SERVICE_UNAVAILABLE');
  // Probed for longer than the server caches whether keys exist (5 s), so the answers also
  // cover requests whose authentication needs the database.
  const answers = new Set<number>();
  await until(
    async () => {
      for (const path of ['session.ingest', 'session.create']) {
        const res = await fetch(`${server.url}/api/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ json: { experimentId: RUN, events: [{ type: 'log', message: 'while down' }] } }),
        });
        answers.add(res.status);
        await res.arrayBuffer();
      }
      answers.add((await call(server.url, 'GET', `/api/v1/training/logs/${RUN}`)).status);
      return Date.now() - downSince > 6000;
    },
    'six seconds of outage',
    30_000,
  );
  expect([...answers]).toEqual([503]);
  const retriesWhileDown = run.stats().retries;
  await until(() => run.stats().retries > retriesWhileDown + 2, 'the SDK to keep retrying', 30_000, state);

  await startPostgres();
  await until(async () => (await fetch(`${server.url}/health`)).status === 200, '/health to recover', 30_000);
  await until(() => next > TOTAL, 'the trainer to log everything', 60_000, state);
  clearInterval(trainer);
  await run.finish('completed');

  // Every event once, in order, in what the subscriber received: the stored stream.
  const expected = Array.from({ length: TOTAL }, (_, i) => i + 1);
  await seen.until(() => seen.events.some((e) => e.type === 'status' && e.data.status === 'completed'), 30_000, 'the end');
  const numbers = seen.events.map(numberOf).filter((n): n is number => n !== null);
  expect(numbers).toEqual(expected);
  expect(new Set(seen.events.map((e) => e.seq)).size).toBe(seen.events.length);
  expect(run.stats()).toMatchObject({ delivered: TOTAL, rejected: 0, dropped: 0, queued: 0 });

  // The subscriptions stayed open through it all: one tRPC connection, the plain socket too.
  expect(trpc.stats.opens).toBe(1);
  expect(subscriptionErrors).toEqual([]);
  await until(
    () => plain.frames.some((f) => f.type === 'status_change' && f.data?.status === 'completed'),
    'the plain socket to see the run complete',
    30_000,
  );
  expect(plainClosed).toBe(false);
  const plainNumbers = plain.frames.flatMap((f) =>
    f.type === 'log' ? [Number(String(f.data?.message).slice(6))] : f.type === 'metrics_update' ? [Number(f.data?.step)] : [],
  );
  expect(plainNumbers).toEqual(expected);

  await plain.close();
  trpc.socket.close();
}, 180_000);
