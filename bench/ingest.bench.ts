/**
 * SDK ingest: metric points per second from `run.metrics()` until stored in PostgreSQL
 * (queue, batches through `session.ingest` over HTTP, validation, exactly-once bookkeeping,
 * the server's INSERT), against a raw `COPY ... FROM STDIN` of the same rows through `pg`
 * into a table of the same shape and indexes on the same database: the database's own
 * limit on this machine. Goal: the SDK path reaches at least 0.5 of COPY.
 * BENCH_REPORTS (default 20000) metric reports of BENCH_VALUES (default 10) values each,
 * BENCH_ROUNDS (default 3) rounds alternating the two paths; the best round of each counts,
 * which keeps a busy machine's noise out of the ratio.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createMonitor } from '../src/sdk';
import { withBenchServer } from './lib/benchServer';
import { cpuSeconds } from './lib/process';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VALUES = Number(process.env.BENCH_VALUES ?? 10);
const NAMES = Array.from({ length: VALUES }, (_, i) => (i === 0 ? 'train/box_loss' : `metric_${i}`));
const POINTS = REPORTS * VALUES;

const values = (i: number) => Object.fromEntries(NAMES.map((n, k) => [n, 1 / (i + k + 1)]));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function sdkPath(
  url: string,
  serverPid: number,
  round: number,
): Promise<{ seconds: number; clientCpu: number; serverCpu: number }> {
  const monitor = createMonitor({
    url,
    batchSize: 5000,
    maxBatchBytes: 4 * 1024 * 1024,
    queueCapacity: REPORTS + 10_000,
    handleProcessExit: false,
  });
  const run = await monitor.startRun({ experimentId: `bench-sdk-${round}` });
  // Warm-up: connections, JIT, the database's caches.
  for (let i = 0; i < 5000; i++) run.metrics({ epoch: 0, step: i, values: values(i) });
  await run.flush();

  const cpu0 = process.cpuUsage();
  const server0 = cpuSeconds(serverPid);
  const started = performance.now();
  for (let i = 0; i < REPORTS; i++) run.metrics({ epoch: 1, step: i, values: values(i) });
  await run.flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const stats = run.stats();
  await run.finish();
  if (stats.delivered !== REPORTS + 5000 || stats.rejected || stats.dropped)
    throw new Error(`SDK run lost events: ${JSON.stringify(stats)}`);
  return { seconds, clientCpu: (cpu.user + cpu.system) / 1e6, serverCpu: cpuSeconds(serverPid) - server0 };
}

async function copyPath(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Same columns, defaults, indexes and foreign key as metric_point, empty each round.
    await client.query(`DROP TABLE IF EXISTS bench_copy;
      CREATE TABLE bench_copy (LIKE metric_point INCLUDING ALL);
      ALTER TABLE bench_copy ADD FOREIGN KEY (session_id) REFERENCES training_session (id) ON DELETE CASCADE`);
    const { rows } = await client.query<{ id: number }>("SELECT id FROM training_session WHERE experiment_id = 'bench-sdk-1'");
    const sessionId = rows[0]!.id;
    const ts = new Date().toISOString();
    // Rows are formatted while they stream, as a client producing them would.
    function* lines(): Generator<string> {
      let chunk = '';
      for (let i = 0; i < REPORTS; i++) {
        const v = values(i);
        for (const name of NAMES) chunk += `${sessionId}\t${i + 1}\t1\t${i}\t${name}\t${v[name]}\t${ts}\n`;
        if (chunk.length > 64 * 1024) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    const started = performance.now();
    await pipeline(
      Readable.from(lines()),
      client.query(copyFrom('COPY bench_copy (session_id, seq, epoch, step, name, value, "timestamp") FROM STDIN')),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows: count } = await client.query<{ n: string }>('SELECT count(*) AS n FROM bench_copy');
    if (Number(count[0]!.n) !== POINTS) throw new Error(`COPY stored ${count[0]!.n} rows, expected ${POINTS}`);
    return seconds;
  } finally {
    await client.end();
  }
}

async function main() {
  await withBenchServer({}, async (server, db) => {
    const sdkRounds: Awaited<ReturnType<typeof sdkPath>>[] = [];
    const copyRounds: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      sdkRounds.push(await sdkPath(server.url, server.pid, round));
      copyRounds.push(await copyPath(db.url));
      console.log(`round ${round}: SDK ${sdkRounds.at(-1)!.seconds.toFixed(2)} s, COPY ${copyRounds.at(-1)!.toFixed(2)} s`);
    }
    const sdk = sdkRounds.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const copySeconds = Math.min(...copyRounds);
    const sdkRate = POINTS / sdk.seconds;
    const copyRate = POINTS / copySeconds;
    console.log(`${fmt(REPORTS)} metric reports x ${VALUES} values = ${fmt(POINTS)} points`);
    console.log(
      `SDK (run.metrics -> session.ingest -> PostgreSQL): ${fmt(sdkRate)} points/s (${sdk.seconds.toFixed(2)} s;` +
        ` CPU: trainer ${sdk.clientCpu.toFixed(2)} s, server ${sdk.serverCpu.toFixed(2)} s)`,
    );
    console.log(`raw COPY through pg:                               ${fmt(copyRate)} points/s (${copySeconds.toFixed(2)} s)`);
    console.log(`ratio SDK / COPY: ${(sdkRate / copyRate).toFixed(2)} (goal >= 0.5)`);
  });
}

await main();
