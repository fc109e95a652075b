/**
 * Slow sockets: how long three 4,000-line batches (log.appendBatch over tRPC HTTP, each
 * sent once the last is answered) take while 150 plain training sockets on the same run
 * never read, against the same batches with no socket at all, on the same server in the
 * same run. Rounds alternate
 * (quiet, loaded, quiet, ...); each path's median is reported, and the ratio loaded / quiet.
 * Goal: the non-reading sockets cost ingest little (ratio close to 1).
 * BENCH_ROUNDS (default 5), BENCH_SOCKETS (default 150), BENCH_LINES (default 4000),
 * BENCH_BATCHES (default 3).
 */
import WebSocket from 'ws';
import { pausedSocket } from '../tests/kit/pausedSocket';
import { type BenchServer, withBenchServer } from './lib/benchServer';
import { percentile } from './lib/process';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 150);
const LINES = Number(process.env.BENCH_LINES ?? 4000);
/** Batches one after the other: the delivery of one competes with the next one's ingest. */
const BATCHES = Number(process.env.BENCH_BATCHES ?? 3);

async function post(server: BenchServer, path: string, input: unknown): Promise<void> {
  const res = await fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Sockets that read their first frame, then never again (their TCP window fills). */
async function openNonReading(server: BenchServer, experimentId: string, count: number): Promise<WebSocket[]> {
  const url = `${server.url.replace(/^http/, 'ws')}/api/v1/ws/training/${experimentId}`;
  return Promise.all(Array.from({ length: count }, () => pausedSocket(url)));
}

/** Milliseconds until BATCHES batches, each sent once the last was answered, are all answered. */
async function batchMs(server: BenchServer, experimentId: string, round: number): Promise<number> {
  const started = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const entries = Array.from({ length: LINES }, (_, i) => ({
      level: 'INFO',
      message: `round ${round} batch ${b} line ${i}: epoch 3 step 1200 loss=0.4132 lr=0.00125`,
      source: 'trainer',
    }));
    await post(server, 'log.appendBatch', { experimentId, entries });
  }
  return performance.now() - started;
}

async function main() {
  await withBenchServer({}, async (server) => {
    const quiet: number[] = [];
    const loaded: number[] = [];
    // Warm-up: code loaded and compiled on both paths before anything is measured.
    await post(server, 'session.create', { experimentId: 'warm-up' });
    await batchMs(server, 'warm-up', -1);
    for (let round = 0; round < ROUNDS; round++) {
      const id = `quiet-${round}`;
      await post(server, 'session.create', { experimentId: id });
      quiet.push(await batchMs(server, id, round));

      const slow = `loaded-${round}`;
      await post(server, 'session.create', { experimentId: slow });
      const sockets = await openNonReading(server, slow, SOCKETS);
      loaded.push(await batchMs(server, slow, round));
      for (const ws of sockets) ws.terminate();
    }
    const q = percentile(
      [...quiet].sort((a, b) => a - b),
      50,
    );
    const l = percentile(
      [...loaded].sort((a, b) => a - b),
      50,
    );
    console.log(`${BATCHES} x ${LINES}-line batches, median of ${ROUNDS} rounds`);
    console.log(`  no socket:                 ${q.toFixed(0)} ms   (${quiet.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`  ${SOCKETS} non-reading sockets: ${l.toFixed(0)} ms   (${loaded.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`  ratio loaded / quiet:      ${(l / q).toFixed(2)}`);
  });
}

await main();
