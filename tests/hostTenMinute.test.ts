import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/lib/logger';
import { pickFleetTier, readFleetHistory } from '../src/server/services/system/fleetHistory';
import { vectorLength } from '../src/server/services/system/hostColumns';
import { pickTier, readHistory } from '../src/server/services/system/hostHistory';
import { HostRollups } from '../src/server/services/system/hostRollups';
import { gpuStats, hostSample } from './helpers/hostSample';
import { setupTestSystem } from './helpers/fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const retention = { rawMs: 48 * HOUR, minuteMs: 30 * DAY, tenMinuteMs: 30 * DAY, hourMs: 365 * DAY };
const t = setupTestSystem(retention);
/** 40 minutes of samples from here, on a whole hour, all past the rollup job's grace. */
const T0 = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;
/** A second left out of the first report, sent later as a collector's replayed backlog. */
const LATE = T0 + 12 * MINUTE + 30_000;

/** cpu = the second within its minute; GPU 0's utilisation = the minute; GPU 1 missing in minutes 20 to 24. */
function sample(at: number, cpu = ((at - T0) / 1000) % 60) {
  const minute = Math.floor((at - T0) / MINUTE);
  const gpus = minute >= 20 && minute < 25 ? [gpuStats(0, minute, 60)] : [gpuStats(0, minute, 60), gpuStats(1, 0, 70)];
  const s = hostSample('ten-host', at, gpus);
  return { ...s, cpu: { ...s.cpu, cpu_util: cpu } };
}

beforeAll(async () => {
  const samples = Array.from({ length: 40 * 60 }, (_, i) => T0 + i * 1000)
    .filter((at) => at !== LATE)
    .map((at) => sample(at));
  for (let i = 0; i < samples.length; i += 600) await t.system.report(samples.slice(i, i + 600));
  await t.system.rollups.run();
}, 60_000);

/** Each 10-minute row beside the same rollup computed here from its minute rows, position by position. */
async function tensAndMinutes() {
  const { rows } = await t.pool.query<{ ts: Date; n: number; mn: number[]; av: number[]; mx: number[]; want: string }>(
    `SELECT t.ts, t.n, t.mn, t.av, t.mx,
            json_build_object(
              'n', (SELECT sum(m.n) FROM host_rollup_1m m WHERE m.host_id = t.host_id AND m.ts >= t.ts AND m.ts < t.ts + interval '10 minutes'),
              'v', (SELECT json_agg(json_build_array(a.mn, a.av, a.mx) ORDER BY a.p)
                      FROM (SELECT p, min(m.mn[p]) AS mn, max(m.mx[p]) AS mx,
                                   (sum(m.av[p]::float8 * m.n) / nullif(sum(m.n) FILTER (WHERE m.av[p] IS NOT NULL), 0))::real AS av
                              FROM generate_series(1, cardinality(t.av)) AS p
                             CROSS JOIN host_rollup_1m m
                             WHERE m.host_id = t.host_id AND m.ts >= t.ts AND m.ts < t.ts + interval '10 minutes'
                             GROUP BY p) a))::text AS want
       FROM host_rollup_10m t ORDER BY t.ts`,
  );
  return rows;
}

describe('the 10-minute host tier', () => {
  it('rolls the minutes into 10-minute rows: n, min of mins, mean weighted by n, max of maxes', async () => {
    const rows = await tensAndMinutes();
    expect(rows.map((r) => r.ts.getTime())).toEqual([0, 1, 2, 3].map((k) => T0 + k * 10 * MINUTE));
    expect(rows.map((r) => r.n)).toEqual([600, 599, 600, 600]);
    for (const r of rows) {
      const want = JSON.parse(r.want) as { n: number; v: [number | null, number | null, number | null][] };
      expect(r.n).toBe(want.n);
      expect(r.mn.map((v, i) => [v, r.av[i], r.mx[i]])).toEqual(want.v);
    }
    // cpu 0..59 each minute; GPU 0 = the minute (0..9 in the first 10 minutes).
    expect([rows[0]!.mn[0], rows[0]!.av[0], rows[0]!.mx[0]]).toEqual([0, 29.5, 59]);
    expect([rows[0]!.mn[9], rows[0]!.av[9], rows[0]!.mx[9]]).toEqual([0, 4.5, 9]);
    // GPU 1 absent for half of minutes 20 to 29: its mean is over the minutes that have it.
    expect(rows[2]!.av[13]).toBe(0);
    const { rows: marks } = await t.pool.query<{ done_until: Date }>(
      "SELECT done_until FROM host_rollup_state WHERE tier = '10m'",
    );
    expect(marks[0]!.done_until.getTime() % (10 * MINUTE)).toBe(0);
    expect(marks[0]!.done_until.getTime()).toBeGreaterThanOrEqual(T0 + HOUR);
  });

  it('answers host history of 10-minute buckets or wider from it, the same as from the minutes', async () => {
    const now = Date.now();
    const from = now - 7 * DAY;
    const pick = pickTier(from, now, 600, retention, now);
    expect(pick).toEqual({ tier: '10m', bucketMs: 20 * MINUTE });
    expect(pickTier(now - DAY, now, 144, retention, now)).toEqual({ tier: '10m', bucketMs: 20 * MINUTE });
    expect(pickTier(now - DAY, now, 146, retention, now)).toEqual({ tier: '10m', bucketMs: 10 * MINUTE });
    expect(pickTier(now - DAY, now, 300, retention, now)).toEqual({ tier: '1m', bucketMs: 5 * MINUTE });
    // Older than the 10-minute rows kept: hours.
    expect(pickTier(now - 40 * DAY, now, 600, { ...retention, tenMinuteMs: 35 * DAY }, now).tier).toBe('1h');

    const { rows } = await t.pool.query<{ id: number }>("SELECT id FROM host WHERE name = 'ten-host'");
    const q = { hostId: rows[0]!.id, from, to: now, maxPoints: 600, length: vectorLength(2), gpuIds: [0, 1] };
    const marks = await t.system.rollups.watermarks();
    const tens = await readHistory(t.pool, { ...q, marks }, '10m', pick.bucketMs);
    const minutes = await readHistory(t.pool, { ...q, marks: { '1m': marks['1m']! } }, '1m', pick.bucketMs);
    expect(Object.keys(tens).sort()).toEqual(Object.keys(minutes).sort());
    for (const [key, s] of Object.entries(minutes)) {
      expect(tens[key]!.t).toEqual(s.t);
      expect(tens[key]!.min).toEqual(s.min);
      expect(tens[key]!.max).toEqual(s.max);
      tens[key]!.avg.forEach((v, i) => expect(v).toBeCloseTo(s.avg[i]!, 4));
    }
    // A range starting inside a 10-minute row: that part from the minutes, as the minute tier gives it.
    const inside = { ...q, from: T0 + 5 * MINUTE, to: T0 + 40 * MINUTE - 1 };
    const cut = await readHistory(t.pool, { ...inside, marks }, '10m', 20 * MINUTE);
    const whole = await readHistory(t.pool, { ...inside, marks: { '1m': marks['1m']! } }, '1m', 20 * MINUTE);
    expect(cut.cpu_util!.t).toEqual([T0, T0 + 20 * MINUTE]);
    expect(cut.cpu_util!.min).toEqual(whole.cpu_util!.min);
    cut.cpu_util!.avg.forEach((v, i) => expect(v).toBeCloseTo(whole.cpu_util!.avg[i]!, 4));
    const answer = await t.system.history({ host: 'ten-host', from: new Date(from), maxPoints: 600 });
    expect(answer.bucketMs).toBe(20 * MINUTE);
    expect(answer.series.cpu_util!.t).toEqual([T0, T0 + 20 * MINUTE]);
    expect(answer.series.cpu_util!.min).toEqual([0, 0]);
    expect(answer.series.cpu_util!.max).toEqual([59, 59]);
  });

  it('answers fleet history of 10-minute buckets from it, the same as from the minutes', async () => {
    const now = Date.now();
    const from = now - DAY;
    expect(pickFleetTier(from, now, 146, retention, now)).toEqual({ tier: '10m', bucketMs: 10 * MINUTE });
    const marks = await t.system.rollups.watermarks();
    for (const metric of ['cpu_util', 'gpu_temp', 'gpu_util'] as const) {
      const q = { metric, from, to: now, gpus: 2 };
      const tens = await readFleetHistory(t.pool, { ...q, marks }, '10m', 10 * MINUTE);
      const minutes = await readFleetHistory(t.pool, { ...q, marks: { '1m': marks['1m']! } }, '1m', 10 * MINUTE);
      expect(tens.hosts.map((h) => h.host)).toEqual(['ten-host']);
      const a = tens.hosts[0]!.values;
      const b = minutes.hosts[0]!.values;
      expect(a.map((v) => v === null)).toEqual(b.map((v) => v === null));
      // gpu_util outside minutes 20 to 29, where GPU 1 is missing for part of the 10 minutes.
      a.forEach((v, i) => {
        if (v !== null && !(metric === 'gpu_util' && tens.from + i * 10 * MINUTE === T0 + 20 * MINUTE))
          expect(v).toBeCloseTo(b[i]!, 4);
      });
    }
    // A range starting inside a 10-minute row: that part from the minutes, as the minute tier gives it.
    const inside = { metric: 'cpu_util' as const, from: T0 + 5 * MINUTE, to: T0 + 40 * MINUTE - 1, gpus: 2 };
    expect(pickFleetTier(inside.from, inside.to, 4, retention, now)).toEqual({ tier: '10m', bucketMs: 20 * MINUTE });
    const cut = await readFleetHistory(t.pool, { ...inside, marks }, '10m', 20 * MINUTE);
    const whole = await readFleetHistory(t.pool, { ...inside, marks: { '1m': marks['1m']! } }, '1m', 20 * MINUTE);
    expect(cut.hosts[0]!.values).toHaveLength(2);
    cut.hosts[0]!.values.forEach((v, i) => expect(v).toBeCloseTo(whole.hosts[0]!.values[i]!, 4));
    const answer = await t.system.fleetHistory({ metric: 'gpu_temp', from: new Date(from), maxPoints: 146 });
    expect(answer).toMatchObject({ tier: '10m', bucketMs: 10 * MINUTE });
    expect(answer.hosts[0]!.values.filter((v) => v !== null)).toEqual([70, 70, 70, 70]);
  });

  it('rolls a 10-minute row again when a replayed sample lands in one of its minutes', async () => {
    await t.system.report([sample(LATE, 100)]);
    await t.system.rollups.run();
    const rows = await tensAndMinutes();
    expect(rows[1]!.n).toBe(600);
    expect(rows[1]!.mx[0]).toBe(100);
    const want = JSON.parse(rows[1]!.want) as { n: number; v: [number | null, number | null, number | null][] };
    expect(rows[1]!.mn.map((v, i) => [v, rows[1]!.av[i], rows[1]!.mx[i]])).toEqual(want.v);
  });

  it('keeps 10-minute rows for their own retention, and minutes until both coarser tiers hold them', async () => {
    // Measured from the data: the 10-minute rows keep the last 20 minutes of the 40.
    const keep = Date.now() - (T0 + 20 * MINUTE);
    await new HostRollups(t.pool, silentLogger, { ...retention, tenMinuteMs: keep }).run();
    const { rows } = await t.pool.query<{ ts: Date }>('SELECT ts FROM host_rollup_10m ORDER BY ts');
    expect(rows.map((r) => r.ts.getTime())).toEqual([T0 + 20 * MINUTE, T0 + 30 * MINUTE]);
    const { rows: minutes } = await t.pool.query<{ n: string }>('SELECT count(*) AS n FROM host_rollup_1m');
    expect(Number(minutes[0]!.n)).toBe(40);

    // Minutes past their retention go only up to the 10-minute watermark.
    await t.pool.query("UPDATE host_rollup_state SET done_until = to_timestamp($1::float8 / 1000) WHERE tier = '10m'", [
      T0 + 10 * MINUTE,
    ]);
    const client = await t.pool.connect();
    try {
      // The job's prune alone (its rolling would move the watermark on).
      const rollups = new HostRollups(t.pool, silentLogger, { ...retention, minuteMs: 1, tenMinuteMs: keep });
      await (rollups as unknown as { prune(c: pg.PoolClient, now: number): Promise<void> }).prune(client, Date.now());
    } finally {
      client.release();
    }
    const { rows: left } = await t.pool.query<{ first: Date }>('SELECT min(ts) AS first FROM host_rollup_1m');
    expect(left[0]!.first.getTime()).toBe(T0 + 10 * MINUTE);
  });
});
