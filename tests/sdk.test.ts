import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LineSplitter, type ControlCommand, type MonitorOptions } from '../src/sdk';
import { setupTestServer } from './helpers/fixtures';
import { startFlakyProxy } from './helpers/flakyProxy';
import { recordingMonitor } from './helpers/recordingMonitor';
import { httpClient } from './helpers/server';
import { until } from './kit/until';

const ROOT = path.resolve(import.meta.dirname, '..');
const app = setupTestServer();

/** A monitor that keeps what it reports instead of printing it. */
function monitorFor(url: string, options: Partial<MonitorOptions> = {}) {
  return recordingMonitor({ url, retry: { initialDelayMs: 20, maxDelayMs: 200 }, ...options });
}

/** The run's logs and metric reports as stored, in sequence order. */
async function stored(experimentId: string) {
  const { rows } = await app.db.sql.query<{
    seq: number;
    kind: string;
    level: string | null;
    text: string;
    source: string | null;
  }>(
    `SELECT l.seq, 'log' AS kind, l.level::text AS level, l.message AS text, l.source FROM log_entry l
       JOIN training_session s ON s.id = l.session_id WHERE s.experiment_id = $1
     UNION ALL
     SELECT m.seq, 'metrics', NULL, string_agg(m.name || '=' || m.value, ',' ORDER BY m.name), NULL FROM metric_point m
       JOIN training_session s ON s.id = m.session_id WHERE s.experiment_id = $1 GROUP BY m.seq
     ORDER BY seq`,
    [experimentId],
  );
  return rows;
}

async function session(experimentId: string) {
  const { rows } = await app.db.sql.query<{ status: string; last_seen_at: Date | null }>(
    'SELECT status::text, last_seen_at FROM training_session WHERE experiment_id = $1',
    [experimentId],
  );
  return rows[0];
}

describe('the trainer SDK', () => {
  it('queues without waiting, and finish() delivers everything in call order with the final status', async () => {
    const { monitor, errors } = monitorFor(app.url);
    const run = await monitor.startRun({ experimentId: 'sdk-basic', config: { lr: 0.01 }, totalEpochs: 2 });
    await run.status('running');
    run.info('loading COCO');
    run.metrics({ epoch: 1, step: 10, values: { train_loss: 0.5, val_mAP: Number.NaN } });
    run.warn('lr warm-up');
    run.log('DEBUG', 'batch shapes ok');
    expect(run.stats().queued).toBe(4); // nothing sent yet: the calls only queued
    await run.finish('completed');

    expect((await stored('sdk-basic')).map((r) => [r.kind, r.level, r.text])).toEqual([
      ['log', 'INFO', 'loading COCO'],
      ['metrics', null, 'train_loss=0.5,val_mAP=NaN'],
      ['log', 'WARNING', 'lr warm-up'],
      ['log', 'DEBUG', 'batch shapes ok'],
    ]);
    expect(await session('sdk-basic')).toMatchObject({ status: 'completed' });
    expect(errors).toEqual([]);
  });

  it('sends on its own within the flush interval, and heartbeats while the run is open', async () => {
    const { monitor } = monitorFor(app.url, { heartbeatMs: 100 });
    const run = await monitor.startRun({ experimentId: 'sdk-interval' });
    run.info('first');
    await until(async () => (await stored('sdk-interval')).length === 1, 'the line to arrive without a flush');
    const seen = (await session('sdk-interval'))!.last_seen_at!;
    await until(async () => (await session('sdk-interval'))!.last_seen_at! > seen, 'a heartbeat');
    await run.finish();
  });

  it('reports events the server refuses (4xx) and still delivers the rest, in order', async () => {
    const { monitor, errors } = monitorFor(app.url);
    const run = await monitor.startRun({ experimentId: 'sdk-bad' });
    for (let i = 1; i <= 30; i++) {
      if (i === 7) run.metrics({ epoch: -1, values: { loss: 1 } });
      else if (i === 19) run.metrics({ epoch: 1, values: {} });
      else run.info(`line ${i}`);
    }
    await run.finish();

    const rows = await stored('sdk-bad');
    expect(rows.map((r) => r.text)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1)
        .filter((i) => i !== 7 && i !== 19)
        .map((i) => `line ${i}`),
    );
    const rejected = errors.filter((e) => e.kind === 'rejected').flatMap((e) => e.details.rejected ?? []);
    expect(rejected.map((r) => r.event)).toMatchObject([
      { type: 'metrics', epoch: -1 },
      { type: 'metrics', epoch: 1, values: {} },
    ]);
    expect(rejected[0]!.reason).toMatch(/epoch/);
    expect(rejected[1]!.reason).toMatch(/at least one metric/);
    expect(run.stats()).toMatchObject({ rejected: 2, delivered: 28 });
  });

  it('delivers pause, resume and stop requests to onControl; a status change acknowledges them', async () => {
    const { monitor } = monitorFor(app.url);
    const run = await monitor.startRun({ experimentId: 'sdk-control' });
    await run.status('running');
    const api = httpClient(app);
    const early = await api.session.requestControl.mutate({
      experimentId: 'sdk-control',
      action: 'pause',
      message: 'need the GPU',
    });

    const commands: ControlCommand[] = [];
    run.onControl((c) => {
      commands.push(c);
      void run.status(c.action === 'pause' ? 'paused' : c.action === 'resume' ? 'running' : 'stopped');
    });
    await until(() => commands.length === 1, 'the pending pause');
    expect(commands[0]).toMatchObject({ id: early.id, action: 'pause', message: 'need the GPU' });

    await until(async () => (await session('sdk-control'))!.status === 'paused', 'the run to pause');
    await api.session.requestControl.mutate({ experimentId: 'sdk-control', action: 'resume' });
    await until(async () => (await session('sdk-control'))!.status === 'running', 'the run to resume');
    await api.session.requestControl.mutate({ experimentId: 'sdk-control', action: 'stop' });
    await until(async () => (await session('sdk-control'))!.status === 'stopped', 'the run to stop');

    await run.finish('stopped');
    expect(commands.map((c) => c.action)).toEqual(['pause', 'resume', 'stop']);
    const { rows } = await app.db.sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM control_request WHERE acknowledged_at IS NULL',
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("when full under 'drop-debug', drops the oldest DEBUG lines first and says so once the server is back", async () => {
    const proxy = await startFlakyProxy(app.port, 0);
    const { monitor, errors } = monitorFor(proxy.url, { queueCapacity: 50, whenFull: 'drop-debug' });
    const run = await monitor.startRun({ experimentId: 'sdk-drop' });
    proxy.dropRate = 1; // every connection is cut: the server is unreachable
    for (let i = 1; i <= 100; i++) run.debug(`debug ${i}`);
    for (let i = 1; i <= 10; i++) run.warn(`warning ${i}`);
    await until(() => run.stats().retries >= 2, 'retries against the unreachable server');
    proxy.dropRate = 0;
    await run.finish();
    await proxy.close();

    const rows = await stored('sdk-drop');
    const debug = rows.filter((r) => r.level === 'DEBUG').map((r) => r.text);
    expect(debug).toEqual(Array.from({ length: 40 }, (_, i) => `debug ${i + 61}`));
    expect(rows.filter((r) => r.text.startsWith('warning')).length).toBe(10);
    expect(rows.filter((r) => r.source === 'monitor').map((r) => [r.level, r.text])).toEqual([
      ['WARNING', expect.stringContaining('dropped 60 DEBUG') as string],
    ]);
    expect(errors.map((e) => e.kind)).toContain('dropped');
  });

  it("under 'block', the awaitable calls wait for room and nothing is dropped", async () => {
    const proxy = await startFlakyProxy(app.port, 0);
    const { monitor } = monitorFor(proxy.url, { queueCapacity: 10, whenFull: 'block', batchSize: 5 });
    const run = await monitor.startRun({ experimentId: 'sdk-block' });
    proxy.dropRate = 1;
    for (let i = 1; i <= 10; i++) await run.logAsync('DEBUG', `line ${i}`);
    let eleventh = false;
    const waiting = run.logAsync('DEBUG', 'line 11').then(() => (eleventh = true));
    await until(() => run.stats().retries >= 2, 'retries against the unreachable server');
    expect(eleventh).toBe(false);
    proxy.dropRate = 0;
    await waiting;
    await run.finish();
    await proxy.close();
    expect((await stored('sdk-block')).map((r) => r.text)).toEqual(Array.from({ length: 11 }, (_, i) => `line ${i + 1}`));
    expect(run.stats().dropped).toBe(0);
  });

  it('captures console lines as INFO and ERROR, still printed, with progress-bar redraws collapsed', async () => {
    const { monitor } = monitorFor(app.url);
    const run = await monitor.startRun({ experimentId: 'sdk-console', captureConsole: true });
    process.stdout.write('train 10%|#   |\rtrain 50%|##  |\rtrain 100%|####|\n');
    process.stderr.write('CUDA warning: slow\n');
    process.stdout.write('val 3/3\r');
    await run.finish();
    expect((await stored('sdk-console')).map((r) => [r.level, r.source, r.text])).toEqual([
      ['INFO', 'stdout', 'train 100%|####|'],
      ['ERROR', 'stderr', 'CUDA warning: slow'],
      ['INFO', 'stdout', 'val 3/3'],
    ]);
  });

  it('collapses carriage-return redraws split across writes', () => {
    const lines: string[] = [];
    const split = new LineSplitter((l) => lines.push(l));
    for (let i = 0; i <= 1000; i++) split.feed(`\repoch 1: ${i / 10}%`);
    split.feed('\n\r\n');
    split.feed('done\r\n');
    expect(lines).toEqual(['epoch 1: 100%', 'done']);
  });
});

describe('the SDK as installed, in a training script (plain Node)', () => {
  const run = (scenario: string, experimentId: string) =>
    spawn(process.execPath, [path.join(ROOT, 'tests/fixtures/sdk-trainer.mjs')], {
      cwd: ROOT,
      env: { ...process.env, MONITOR_URL: app.url, EXPERIMENT_ID: experimentId, SCENARIO: scenario },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const ended = (child: ReturnType<typeof run>) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
    );
  };

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', '--silent', 'build:sdk'], { cwd: ROOT });
  }, 120_000);

  it('marks the run failed on an uncaught exception, with the stack as a CRITICAL line, then exits as Node would', async () => {
    const result = await ended(run('crash', 'sdk-crash'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: CUDA out of memory');
    expect(await session('sdk-crash')).toMatchObject({ status: 'failed' });
    const rows = await stored('sdk-crash');
    expect(rows.filter((r) => r.level === 'INFO')).toHaveLength(500);
    expect(rows.at(-1)).toMatchObject({ level: 'CRITICAL', text: expect.stringMatching(/^Error: CUDA out of memory\n\s+at /) });
    const { rows: changes } = await app.db.sql.query<{ message: string }>(
      `SELECT c.message FROM status_change c JOIN training_session s ON s.id = c.session_id
        WHERE s.experiment_id = 'sdk-crash' AND c.to_status = 'failed'`,
    );
    expect(changes[0]?.message).toBe('Error: CUDA out of memory');
  });

  it('flushes on SIGTERM, records the run as stopped, then dies of the signal', async () => {
    const child = run('sigterm', 'sdk-sigterm');
    const result = ended(child);
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    child.kill('SIGTERM');
    expect(await result).toMatchObject({ signal: 'SIGTERM' });
    expect(await session('sdk-sigterm')).toMatchObject({ status: 'stopped' });
    expect((await stored('sdk-sigterm')).filter((r) => r.level === 'INFO')).toHaveLength(500);
  });

  it('flushes what is queued when a script ends without finish()', async () => {
    const result = await ended(run('exit', 'sdk-exit'));
    expect(result.code).toBe(0);
    expect((await stored('sdk-exit')).map((r) => r.text)).toEqual(Array.from({ length: 500 }, (_, i) => `step ${i + 1}`));
  });
});
