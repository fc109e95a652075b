/**
 * Fleet history: one metric of every host over 24 hours (`system.fleetHistory`), at 1,000
 * 8-GPU hosts. 24 h of 1-minute rollups are written by SQL (1.44 M rows), the last two
 * minutes as raw rows the rollups have not reached yet, and rolled into 10-minute rows by
 * the rollup job's statement (144,000 rows). Times fleetHistory at 300 points per host
 * (5-minute buckets, read from the minutes) and at 146 (10-minute buckets, read from the
 * 10-minute tier) for GPU and host metrics, median of 5 interleaved rounds, beside the same
 * answer computed the naive ways in the same run: GPU values through unnest(), host
 * values bucketed in JS.
 * Goal: under 500 ms.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { silentLogger } from '../src/lib/logger';
import { servicesOptionsFromEnv } from '../src/server/config';
import { openDatabase } from '../src/server/db/database';
import { createServices } from '../src/server/services';
import { rollupStatement } from '../src/server/services/system/hostTiers';
import type { FleetMetric } from '../src/shared/fleetHistory';
import { benchDatabase } from './lib/database';
import { simulatedSample } from './lib/simulatedHost';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const GPUS = 8;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const perGpu = (f: (g: number) => string) => Array.from({ length: GPUS }, (_, g) => f(g)).join(', ');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main() {
  const bench = await benchDatabase();
  const db = await openDatabase({ url: bench.url, dataDir: '.data/bench', log: silentLogger });
  const services = await createServices(db, silentLogger, servicesOptionsFromEnv());
  // Fill and baselines on a pool without the app's statement timeout (the unnest() baseline takes seconds).
  const pool = new pg.Pool({ connectionString: bench.url, max: 2 });
  try {
    console.log(`load average at start: ${load()}`);
    const now = Date.now();
    const names = Array.from({ length: HOSTS }, (_, i) => `gpu-node-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < HOSTS; i += 500) {
      await services.system.report(names.slice(i, i + 500).map((h, j) => simulatedSample(h, now, i + j)));
    }
    // The minute tier is complete up to two minutes ago; the rest is raw rows only.
    const mark = Math.floor(now / MINUTE) * MINUTE - 2 * MINUTE;
    let started = performance.now();
    // 100 distinct vectors, joined in: the rows copy them instead of computing 123 values each.
    await pool.query(
      `CREATE TABLE bench_vectors AS
       SELECT k, av, ARRAY(SELECT x - 3 FROM unnest(av) AS x)::real[] AS mn, ARRAY(SELECT x + 3 FROM unnest(av) AS x)::real[] AS mx
         FROM (SELECT k, ARRAY[k, 40, 0, 30, 1e6, 4e6, 1e7, 4e7, 4,
                      ${perGpu((g) => `(k * 7 + ${g * 13}) % 100, 76.9, 40 + (k + ${g * 3}) % 50, 150 + k * 5`)}]::real[] AS av
                 FROM generate_series(0, 99) AS k) a`,
    );
    // An hour a statement, oldest first (rows in time order, as the rollup job writes them).
    for (let last = 1441; last > 0; last -= 60) {
      await pool.query(
        `INSERT INTO host_rollup_1m (ts, host_id, n, mn, av, mx)
         SELECT to_timestamp($1::float8 / 1000) - m * interval '1 minute', h.id, 60, v.mn, v.av, v.mx
           FROM generate_series($2::int, greatest($2::int - 59, 1), -1) AS m CROSS JOIN host h JOIN bench_vectors v ON v.k = (h.id * 7 + m) % 100`,
        [mark, last],
      );
    }
    await pool.query(
      `INSERT INTO host_second
       SELECT to_timestamp(s), h.id, 50, 40, 0, 30, 1e6, 4e6, 1e7, 4e7, 4,
              ARRAY[${perGpu((g) => `(s * 7 + ${g * 13}) % 100, 7690, 60, 3500`)}]::smallint[]
         FROM generate_series($1::int8 / 1000, $2::int8 / 1000) AS s CROSS JOIN host h
       ON CONFLICT DO NOTHING`,
      [mark, now],
    );
    await pool.query('DROP TABLE bench_vectors');
    const minutesWritten = performance.now() - started;
    // The 10-minute rows, by the rollup job's own statement, a day a statement as it slices.
    const tens = Math.floor(mark / (10 * MINUTE)) * 10 * MINUTE;
    const rolling = performance.now();
    await pool.query(
      rollupStatement('10m', 9 + 4 * GPUS, {
        from: `to_timestamp(${(tens - DAY - 10 * MINUTE) / 1000})`,
        to: `to_timestamp(${tens / 1000})`,
      }),
    );
    const rolledMs = performance.now() - rolling;
    await pool.query(
      `INSERT INTO host_rollup_state VALUES ('1m', to_timestamp($1::float8 / 1000)), ('10m', to_timestamp($2::float8 / 1000)),
              ('1h', to_timestamp($3::float8 / 1000))
       ON CONFLICT (tier) DO UPDATE SET done_until = EXCLUDED.done_until`,
      [mark, tens, Math.floor(mark / HOUR) * HOUR],
    );
    for (const t of ['host_second', 'host_rollup_1m', 'host_rollup_10m']) await pool.query(`VACUUM ANALYZE ${t}`);
    const { rows: size } = await pool.query<{ rows: string; mb: string; tens: string; tens_mb: string }>(
      `SELECT (SELECT count(*) FROM host_rollup_1m) AS rows, pg_total_relation_size('host_rollup_1m') / 1048576 AS mb,
              (SELECT count(*) FROM host_rollup_10m) AS tens, pg_total_relation_size('host_rollup_10m') / 1048576 AS tens_mb`,
    );
    console.log(
      `loaded ${HOSTS} 8-GPU hosts: ${Number(size[0]!.rows).toLocaleString()} minute rows (${size[0]!.mb} MB), ` +
        `${Math.round((now - mark) / 1000)} s of raw rows, in ${(minutesWritten / 1000).toFixed(1)} s; ` +
        `rolled into ${Number(size[0]!.tens).toLocaleString()} 10-minute rows (${size[0]!.tens_mb} MB) in ${(rolledMs / 1000).toFixed(1)} s`,
    );

    started = performance.now();
    const from = new Date(Date.now() - DAY);
    const fleet = (metric: FleetMetric, to?: Date, maxPoints = 300) =>
      services.system.fleetHistory({ metric, from, ...(to ? { to } : {}), maxPoints });
    const sample = await fleet('gpu_util');
    const bucket = `${sample.bucketMs / 1000} s`;
    const interval = `make_interval(secs => ${sample.bucketMs / 1000})`;
    const unnest = (vector: 'av' | 'mx', offset: number, agg: 'avg' | 'max', over = interval) =>
      pool.query<{ host_id: number; t: Date; v: number }>(
        `SELECT host_id, date_bin(${over}, ts, 'epoch'::timestamptz) AS t, ${agg}(x) AS v
           FROM host_rollup_1m r, LATERAL unnest(r.${vector}[10:]) WITH ORDINALITY AS u(x, o)
          WHERE ts >= $1 AND o % 4 = ${offset} GROUP BY 1, 2`,
        [from],
      );
    // Host values: every minute row to the app, bucketed there.
    const inJs = async () => {
      const { rows } = await pool.query<{ host_id: number; t: Date; v: number | null; n: number }>(
        'SELECT host_id, ts AS t, av[1] AS v, n FROM host_rollup_1m WHERE ts >= $1',
        [from],
      );
      const sums = new Map<number, Map<number, [number, number]>>();
      for (const r of rows) {
        if (r.v === null) continue;
        const b = Math.floor(r.t.getTime() / sample.bucketMs);
        let host = sums.get(r.host_id);
        if (!host) sums.set(r.host_id, (host = new Map()));
        const acc = host.get(b) ?? [0, 0];
        host.set(b, [acc[0] + r.v * r.n, acc[1] + r.n]);
      }
      return sums;
    };
    // Check: fleetHistory's gpu_util agrees with unnest() on every bucket the minute tier holds whole.
    const ids = new Map(
      (await pool.query<{ id: number; name: string }>('SELECT id, name FROM host')).rows.map((r) => [r.id, r.name]),
    );
    /** The largest difference between an answer and unnest()'s rows, over the buckets the minute tier holds whole. */
    const largestDifference = (answer: typeof sample, rows: { host_id: number; t: Date; v: number }[]) => {
      const values = new Map(answer.hosts.map((h) => [h.host, h.values]));
      let worst = 0;
      for (const r of rows) {
        const t = r.t.getTime();
        if (t + answer.bucketMs > mark || t < answer.from) continue;
        const v = values.get(ids.get(r.host_id)!)?.[(t - answer.from) / answer.bucketMs];
        worst = Math.max(worst, Math.abs((v ?? NaN) - r.v));
      }
      return worst;
    };
    const worst = largestDifference(sample, (await unnest('av', 1, 'avg')).rows);
    console.log(
      `gpu_util: ${sample.hosts.length} hosts x ${sample.hosts[0]?.values.length} buckets of ${bucket}; largest difference from unnest(): ${worst.toExponential(1)}`,
    );
    // The same check at 10-minute buckets: fleetHistory from the 10-minute tier, unnest() over the minutes.
    const coarse = await fleet('gpu_util', undefined, 146);
    const coarseWorst = largestDifference(
      coarse,
      (await unnest('av', 1, 'avg', `make_interval(secs => ${coarse.bucketMs / 1000})`)).rows,
    );
    console.log(
      `gpu_util at 146 points: tier ${coarse.tier}, ${coarse.hosts.length} hosts x ${coarse.hosts[0]?.values.length} buckets of ${coarse.bucketMs / 1000} s; ` +
        `largest difference from unnest() over the minutes: ${coarseWorst.toExponential(1)}`,
    );

    // Interleaved rounds: each candidate once a round, so a change in the machine's load
    // falls on all of them alike; the median round of each.
    const floor = () =>
      pool.query(
        `SELECT host_id, date_bin(${interval}, ts, 'epoch'::timestamptz), avg(av[10]) FROM host_rollup_1m WHERE ts >= $1 GROUP BY 1, 2`,
        [from],
      );
    const candidates: [string, () => Promise<unknown>][] = [
      ['gpu_util (mean of 8 GPUs)', () => fleet('gpu_util')],
      ['  baseline: unnest(av)', () => unnest('av', 1, 'avg')],
      ['gpu_temp (hottest GPU)', () => fleet('gpu_temp')],
      ['  baseline: unnest(mx)', () => unnest('mx', 3, 'max')],
      ['cpu_util', () => fleet('cpu_util')],
      ['  baseline: minute rows, JS buckets', inJs],
      ['gpu_vram_percent', () => fleet('gpu_vram_percent')],
      ['gpu_power', () => fleet('gpu_power')],
      // The raw tail's share: the same range ending at the watermark reads no raw rows.
      ['gpu_util, no raw tail', () => fleet('gpu_util', new Date(mark - 1))],
      ['gpu_util, 146 points (10-minute tier)', () => fleet('gpu_util', undefined, 146)],
      ['gpu_temp, 146 points (10-minute tier)', () => fleet('gpu_temp', undefined, 146)],
      ['cpu_util, 146 points (10-minute tier)', () => fleet('cpu_util', undefined, 146)],
      ['floor: avg(av[10]), GPU 0 alone, no tail', floor],
    ];
    const ROUNDS = 5;
    const times = candidates.map(() => [] as number[]);
    for (const [, fn] of candidates) await fn(); // warm the cache and the plans
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, [, fn]] of candidates.entries()) {
        const t = performance.now();
        await fn();
        times[k]!.push(performance.now() - t);
      }
    }
    console.log(`\none metric of every host, 24 h, 300 points, median of ${ROUNDS} interleaved rounds    (goal < 500 ms)`);
    for (const [k, [label]] of candidates.entries()) {
      const sorted = times[k]!.sort((a, b) => a - b);
      const range = `${sorted[0]!.toFixed(0)} to ${sorted[ROUNDS - 1]!.toFixed(0)}`;
      console.log(`${label.padEnd(42)} ${sorted[Math.floor(ROUNDS / 2)]!.toFixed(0).padStart(6)} ms   (${range})`);
    }
    console.log(`\nmeasured in ${((performance.now() - started) / 1000).toFixed(0)} s; load average at end: ${load()}`);
  } finally {
    await services.close();
    await pool.end();
    await bench.close();
  }
}

await main();
