/**
 * The SDK's promise under failure: every event of a run arrives once, in order, while the
 * server is killed (SIGKILL, no graceful close) and restarted twice mid-run, and while a
 * proxy between them cuts connections at random.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Run } from '../src/sdk';
import { setupServerProcess } from './helpers/fixtures';
import { startFlakyProxy, type FlakyProxy } from './helpers/flakyProxy';
import { recordingMonitor } from './helpers/recordingMonitor';
import { until } from './kit/until';

const server = setupServerProcess();
let proxy: FlakyProxy;

beforeAll(async () => {
  proxy = await startFlakyProxy(server.port, 0.05);
});

afterAll(async () => {
  await proxy?.close();
});

const TOTAL = 10_000;

/** Event i: every fourth a metric report (its step is i), the others log lines naming i. */
function emit(run: Run, from: number, to: number): void {
  for (let i = from; i <= to; i++) {
    if (i % 4 === 0) run.metrics({ epoch: Math.floor(i / 1000), step: i, values: { loss: 1 / i, mAP: i / TOTAL } });
    else run.info(`event ${i}`);
  }
}

/** The stored events as their i, in the order of the session's sequence numbers. */
async function storedOrder(): Promise<number[]> {
  const { rows } = await server.db.sql.query<{ i: number }>(
    `SELECT seq, substring(message FROM 7)::int AS i FROM log_entry l
       JOIN training_session s ON s.id = l.session_id WHERE s.experiment_id = 'resilient'
     UNION ALL
     SELECT seq, max(step) FROM metric_point m
       JOIN training_session s ON s.id = m.session_id WHERE s.experiment_id = 'resilient' GROUP BY seq
     ORDER BY seq`,
  );
  return rows.map((r) => r.i);
}

it('delivers 10,000 events once each, in order, across two server kills and random connection drops', async () => {
  const { monitor, errors } = recordingMonitor({
    url: proxy.url,
    batchSize: 100,
    retry: { initialDelayMs: 20, maxDelayMs: 400 },
    requestTimeoutMs: 5000,
  });
  const run = await monitor.startRun({ experimentId: 'resilient', totalEpochs: 10 });
  const state = () => ({ stats: run.stats(), cuts: proxy.cuts, errors: errors.slice(-3).map((e) => e.message) });
  await run.status('running');

  emit(run, 1, 3000);
  await until(() => run.stats().delivered >= 500, 'the first batches', 60_000, state);
  await server.kill(); // mid-flush: the rest of the 3000 are queued or in flight
  emit(run, 3001, 6000);
  await until(() => run.stats().retries >= 3, 'retries while the server is down', 60_000, state);
  await server.start();

  await until(() => run.stats().delivered >= 4000, 'delivery to resume', 60_000, state);
  await server.kill();
  emit(run, 6001, TOTAL);
  await server.start();
  await run.finish('completed');

  const order = await storedOrder();
  expect(order.length).toBe(TOTAL);
  expect(order).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  expect(run.stats()).toMatchObject({ delivered: TOTAL, rejected: 0, dropped: 0, queued: 0 });
  expect(proxy.cuts).toBeGreaterThan(0);
  expect(errors.filter((e) => e.kind !== 'unreachable')).toEqual([]);

  const { rows } = await server.db.sql.query<{ status: string; log_count: number; metrics_count: number }>(
    "SELECT status::text, log_count, metrics_count FROM training_session WHERE experiment_id = 'resilient'",
  );
  expect(rows[0]).toEqual({ status: 'completed', log_count: TOTAL * 0.75, metrics_count: TOTAL * 0.25 });
}, 120_000);
