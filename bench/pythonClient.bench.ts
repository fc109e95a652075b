/**
 * The Python client (clients/python): time on the calling thread per `run.metrics()` (goal:
 * under 20 µs), and metric reports per second from `run.metrics()` until stored, through
 * the REST batch door, against the TypeScript SDK's rate through `session.ingest` measured
 * on the same server in the same run (goal: at least 0.5 of it).
 * BENCH_REPORTS (default 20000) reports of BENCH_VALUES (default 10) values, BENCH_ROUNDS
 * (default 3) rounds alternating the two clients; the best round of each counts.
 * BENCH_PYTHON (default /usr/bin/python3) is the interpreter.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createMonitor } from '../src/sdk';
import { withBenchServer } from './lib/benchServer';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VALUES = Number(process.env.BENCH_VALUES ?? 10);
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const NAMES = Array.from({ length: VALUES }, (_, i) => (i === 0 ? 'train/box_loss' : `metric_${i}`));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface PythonRound {
  calling_us: number;
  calling_cpu_us: number;
  seconds: number;
  delivered: number;
  rejected: number;
  dropped: number;
}

async function sdkRound(url: string, round: number): Promise<number> {
  const monitor = createMonitor({ url, batchSize: 5000, queueCapacity: REPORTS + 10_000, handleProcessExit: false });
  const run = await monitor.startRun({ experimentId: `bench-py-sdk-${round}` });
  const reports = Array.from({ length: REPORTS }, (_, i) => Object.fromEntries(NAMES.map((n, k) => [n, 1 / (i + k + 1)])));
  for (let i = 0; i < 5000; i++) run.metrics({ epoch: 0, step: i, values: reports[i % REPORTS]! });
  await run.flush();
  const started = performance.now();
  for (let i = 0; i < REPORTS; i++) run.metrics({ epoch: 1, step: i, values: reports[i]! });
  await run.flush();
  const seconds = (performance.now() - started) / 1000;
  const stats = run.stats();
  await run.finish();
  if (stats.delivered !== REPORTS + 5000 || stats.rejected || stats.dropped)
    throw new Error(`SDK lost events: ${JSON.stringify(stats)}`);
  return seconds;
}

function pythonRound(url: string, round: number): PythonRound {
  const script = path.join(import.meta.dirname, 'python', 'client_bench.py');
  const args = [script, '--server', url, '--run', `bench-py-${round}`, '--reports', String(REPORTS), '--values', String(VALUES)];
  const child = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 900_000 });
  if (child.status !== 0) throw new Error(`python client failed (${child.status}):\n${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as PythonRound;
  if (result.delivered !== REPORTS + 5000 || result.rejected || result.dropped)
    throw new Error(`Python client lost events: ${JSON.stringify(result)}`);
  return result;
}

async function main() {
  await withBenchServer({}, async (server) => {
    const sdk: number[] = [];
    const py: PythonRound[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      sdk.push(await sdkRound(server.url, round));
      py.push(pythonRound(server.url, round));
      const last = py.at(-1)!;
      console.log(
        `round ${round}: TypeScript SDK ${sdk.at(-1)!.toFixed(2)} s, Python ${last.seconds.toFixed(2)} s` +
          ` (run.metrics() on the calling thread: ${last.calling_us.toFixed(2)} µs, of which CPU ${last.calling_cpu_us.toFixed(2)} µs)`,
      );
    }
    const sdkRate = REPORTS / Math.min(...sdk);
    const pyRate = REPORTS / Math.min(...py.map((r) => r.seconds));
    const calling = Math.min(...py.map((r) => r.calling_us));
    const callingCpu = Math.min(...py.map((r) => r.calling_cpu_us));
    console.log(`${fmt(REPORTS)} metric reports x ${VALUES} values`);
    console.log(
      `Python run.metrics() on the calling thread: ${calling.toFixed(2)} µs per call, ${callingCpu.toFixed(2)} µs of its CPU (goal < 20)`,
    );
    console.log(`Python (run.metrics -> REST batch door -> PostgreSQL): ${fmt(pyRate)} reports/s`);
    console.log(`TypeScript SDK (run.metrics -> session.ingest -> PostgreSQL): ${fmt(sdkRate)} reports/s`);
    console.log(`ratio Python / TypeScript SDK: ${(pyRate / sdkRate).toFixed(2)} (goal >= 0.5)`);
  });
}

await main();
