/**
 * History: a run with 1,000,000 points in one metric and 1,000,000 log lines. Times the
 * chart query for the full range (bucketed to about 2,000 points, min/max kept) and the
 * last 1,000 log lines, as the services answer them, beside the naive reads they replace
 * (every point of the series; the log lines by a scan of the session's rows).
 * Then the host tables (lib/hostHistoryBench.ts): one host's history from a minute to a year.
 * Goal: each under 150 ms.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/server/db/database';
import { silentLogger } from '../src/lib/logger';
import { servicesOptionsFromEnv } from '../src/server/config';
import { createServices } from '../src/server/services';
import { benchDatabase } from './lib/database';
import { benchHostHistory } from './lib/hostHistoryBench';
import { medianMs } from './lib/medianMs';

const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const RUNS = 7;

async function main() {
  const bench = await benchDatabase();
  const db = await openDatabase({ url: bench.url, dataDir: '.data/bench', log: silentLogger });
  const services = await createServices(db, silentLogger, servicesOptionsFromEnv());
  try {
    const experimentId = 'history-1m';
    const { session } = await services.sessions.create({ experimentId, totalEpochs: 300 });
    const started = performance.now();
    // Points take seqs 2..POINTS+1, log lines the next POINTS: as a long run would have them.
    await db.pool.query(
      `INSERT INTO metric_point (session_id, seq, epoch, step, name, value, "timestamp")
       SELECT $1, i + 1, i / 3334, i, 'train_loss',
              CASE WHEN i % 100000 = 0 THEN 'NaN'::float8 ELSE 2.5 * exp(-i / 300000.0) + random() * 0.05 END,
              now() - make_interval(secs => ($2 - i) / 10.0)
         FROM generate_series(1, $2) AS i`,
      [session.id, POINTS],
    );
    await db.pool.query(
      `INSERT INTO log_entry (session_id, seq, level, message, source, "timestamp")
       SELECT $1, $2 + i + 1, (ARRAY['DEBUG','INFO','INFO','INFO','WARNING','ERROR']::"LogLevel"[])[1 + i % 6],
              'step ' || i || ' loss=' || round((2.5 * exp(-i / 300000.0))::numeric, 4), 'trainer',
              now() - make_interval(secs => ($2 - i) / 10.0)
         FROM generate_series(1, $2) AS i`,
      [session.id, POINTS],
    );
    await db.pool.query(`UPDATE training_session SET last_seq = $2 * 2 + 1, log_count = $2, metrics_count = $2 WHERE id = $1`, [
      session.id,
      POINTS,
    ]);
    await db.pool.query('VACUUM ANALYZE metric_point');
    await db.pool.query('VACUUM ANALYZE log_entry');
    console.log(
      `loaded ${POINTS.toLocaleString()} points and ${POINTS.toLocaleString()} log lines in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    let points = 0;
    const chart = await medianMs(async () => {
      const r = await services.metrics.series({ experimentId, names: ['train_loss'], x: 'step', maxPoints: 2000 });
      points = r.series[0]?.x.length ?? 0;
    });
    const naiveChart = await medianMs(() =>
      db.pool.query(`SELECT step, value FROM metric_point WHERE session_id = $1 AND name = 'train_loss' ORDER BY seq`, [
        session.id,
      ]),
    );
    let lines = 0;
    const logs = await medianMs(async () => {
      lines = (await services.logs.list({ experimentId, limit: 1000 })).items.length;
    });
    const naiveLogs = await medianMs(() =>
      db.pool.query(`SELECT seq, level, message FROM log_entry WHERE session_id = $1 ORDER BY "timestamp" DESC LIMIT 1000`, [
        session.id,
      ]),
    );
    const zoom = await medianMs(() =>
      services.metrics.series({ experimentId, names: ['train_loss'], x: 'step', from: 400_000, to: 410_000, maxPoints: 2000 }),
    );

    const row = (what: string, ms: number, base: number) =>
      `${what.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms   naive ${base.toFixed(1).padStart(8)} ms   ${(base / ms).toFixed(1).padStart(6)}x faster`;
    console.log(`\nmedian of ${RUNS} runs                              (goal < 150 ms)`);
    console.log(row(`chart, full range (${points} buckets, min/max)`, chart, naiveChart));
    console.log(row('chart, zoomed to 10,000 steps', zoom, naiveChart));
    console.log(row(`last ${lines} log lines`, logs, naiveLogs));

    await benchHostHistory(db, services);
  } finally {
    await services.close();
    await bench.close();
  }
}

await main();
