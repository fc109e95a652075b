/**
 * REST ingest: log lines per second through POST /api/v1/training/logs/{id}/log, one line
 * per request, from autocannon with keep-alive, against a baseline server written here
 * (plain node:http + pg, one INSERT per request, no validation) on the same database, in
 * the same run. Goal: at least 0.8 of the baseline.
 * BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 32) shape the load.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { stopChild } from '../tests/kit/processes';
import { benchDatabase } from './lib/database';
import { cpuSeconds, startServer } from './lib/process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const body = JSON.stringify({ level: 'INFO', message: 'epoch 3 step 1200 loss=0.4132 lr=0.00125', source: 'trainer' });

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  serverCpuPct: number;
}

async function load(url: string, pid: number): Promise<Run> {
  const cpu0 = cpuSeconds(pid);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const cpu = cpuSeconds(pid) - cpu0;
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    serverCpuPct: (cpu / SECONDS) * 100,
  };
}

async function main() {
  const db = await benchDatabase();
  const experimentId = 'rest-ingest';
  const baseline = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lib/baselineIngestServer.ts')], {
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const basePort = await new Promise<number>((resolve) =>
    baseline.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))),
  );
  const server = await startServer(db.url);
  try {
    await fetch(`${server.url}/api/v1/training/logs/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: experimentId }),
    });
    const path = `/api/v1/training/logs/${experimentId}/log`;
    // Warm both up (JIT, connection pools), then measure.
    await autocannon({ url: `http://127.0.0.1:${basePort}${path}`, method: 'POST', body, connections: 8, duration: 2 });
    await autocannon({
      url: `${server.url}${path}`,
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      connections: 8,
      duration: 2,
    });
    const base = await load(`http://127.0.0.1:${basePort}${path}`, baseline.pid!);
    const ours = await load(`${server.url}${path}`, server.pid);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM log_entry l JOIN training_session s ON s.id = l.session_id WHERE s.experiment_id = $1`,
      [experimentId],
    );
    await client.end();

    const line = (name: string, r: Run) =>
      `${name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(8)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${String(r.errors).padStart(6)}  ${r.serverCpuPct.toFixed(0).padStart(5)}%`;
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each`);
    console.log('server                              lines/s  p50 ms  p99 ms  errors  server CPU');
    console.log(line('baseline (node:http + pg INSERT)', base));
    console.log(line('CV Studio Monitor REST shim', ours));
    console.log(`\nratio: ${(ours.perSecond / base.perSecond).toFixed(2)} of the baseline (goal >= 0.80)`);
    console.log(`stored by the shim (incl. warm-up): ${rows[0]!.n} lines`);
  } finally {
    await server.stop();
    await stopChild(baseline);
    await db.close();
  }
}

await main();
