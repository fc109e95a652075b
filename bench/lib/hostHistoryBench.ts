/**
 * The host half of the history benchmark: one 8-GPU host with every tier full (48 h of raw
 * seconds, folded by the minute as the rollup job leaves them, 30 days of minutes and of
 * 10 minutes, a year of hours), then `system.history` over ranges from a
 * minute to a year, beside the same ranges read from raw rows alone (what the JSONB table
 * did, where raw rows still hold the range). Goal: each under 150 ms.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../../src/server/db/database';
import type { Services } from '../../src/server/services';
import { vectorLength } from '../../src/server/services/system/hostColumns';
import { foldMinutes } from '../../src/server/services/system/hostFold';
import { pickTier, readHistory } from '../../src/server/services/system/hostHistory';
import { medianMs } from './medianMs';
import { simulatedSample } from './simulatedHost';

const GPUS = 8;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention = { rawMs: 48 * HOUR, minuteMs: 30 * DAY, hourMs: 365 * DAY };

/** SQL for a vector of the host's values at row i (cpu and GPU utilisation follow i). */
const vector = (cast: string) =>
  `ARRAY[i % 100, 40, 0, 30, 1e6, 4e6, 1e7, 4e7, 4${Array.from({ length: GPUS }, () => `, (i * 7) % 100, 76.9, 60, 350`).join('')}]::${cast}`;

export async function benchHostHistory(db: Database, services: Services): Promise<void> {
  const host = 'history-host';
  const now = Math.floor(Date.now() / 1000) * 1000;
  await services.system.report([simulatedSample(host, now, 0)]);
  const { rows } = await db.pool.query<{ id: number }>('SELECT id FROM host WHERE name = $1', [host]);
  const id = rows[0]!.id;
  const started = performance.now();
  const gpuRaw = `ARRAY[${Array.from({ length: GPUS }, () => '(i * 7) % 100, 7690, 60, 3500').join(', ')}]::smallint[]`;
  await db.pool.query(
    `INSERT INTO host_second SELECT to_timestamp($2::float8 / 1000 - i), $1, i % 100, 40, 0, 30, 1e6, 4e6, 1e7, 4e7, 4, ${gpuRaw}
       FROM generate_series(1, 48 * 3600) AS i ON CONFLICT DO NOTHING`,
    [id, now],
  );
  for (const [table, step, count] of [
    ['host_rollup_1m', 60, 30 * 1440],
    ['host_rollup_10m', 600, 30 * 144],
    ['host_rollup_1h', 3600, 365 * 24],
  ] as const) {
    await db.pool.query(
      `INSERT INTO ${table} SELECT to_timestamp(floor($2::float8 / 1000 / ${step}) * ${step} - i * ${step}), $1, ${step},
              ${vector('real[]')}, ${vector('real[]')}, ${vector('real[]')}
         FROM generate_series(1, ${count}) AS i`,
      [id, now],
    );
  }
  // Raw seconds folded by the minute, as the rollup job leaves them (all but the last minutes).
  const client = await db.pool.connect();
  try {
    await foldMinutes(client, Math.floor(now / 60_000) * 60_000 - 60_000);
  } finally {
    client.release();
  }
  // Every tier complete up to now: each range is read from its own tier.
  await db.pool.query(
    `INSERT INTO host_rollup_state VALUES ('1m', to_timestamp($1::float8 / 1000)), ('10m', to_timestamp($1::float8 / 1000)),
            ('1h', to_timestamp($1::float8 / 1000))
     ON CONFLICT (tier) DO UPDATE SET done_until = EXCLUDED.done_until`,
    [now],
  );
  for (const t of ['host_second', 'host_minute', 'host_rollup_1m', 'host_rollup_10m', 'host_rollup_1h'])
    await db.pool.query(`VACUUM ANALYZE ${t}`);
  console.log(
    `\nloaded one 8-GPU host: 48 h raw, 30 d of minutes and of 10 minutes, 1 y of hours in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log('host history, 600 points, median of 7    (goal < 150 ms)');
  for (const [label, span] of [
    ['1 minute', 60_000],
    ['1 hour', HOUR],
    ['24 hours', DAY],
    ['48 hours', 2 * DAY],
    ['7 days', 7 * DAY],
    ['30 days', 30 * DAY],
    ['1 year', 365 * DAY],
  ] as const) {
    const from = new Date(Date.now() - span);
    let tier = '';
    const ms = await medianMs(async () => {
      const r = await services.system.history({ host, from, maxPoints: 600 });
      tier = `${r.bucketMs / 1000} s buckets`;
    });
    let naive = '';
    if (span <= 2 * DAY) {
      // The same range from raw seconds only, as the JSONB table had to.
      const { bucketMs } = pickTier(from.getTime(), Date.now(), 600, retention, Date.now());
      const raw = await medianMs(() =>
        readHistory(
          db.pool,
          { hostId: id, from: from.getTime(), to: Date.now(), maxPoints: 600, length: vectorLength(GPUS), gpuIds: [], marks: {} },
          'raw',
          bucketMs,
        ),
      );
      naive = `raw rows only ${raw.toFixed(1).padStart(7)} ms`;
    }
    console.log(`${label.padEnd(10)} ${ms.toFixed(1).padStart(7)} ms  (${tier.padEnd(16)})  ${naive}`);
  }
}
