/**
 * The block rollup behind long charts: metric_block must always equal an aggregate of the
 * points (whatever wrote them), and a series drawn from blocks must equal the same buckets
 * computed point by point, NaN and ±Infinity included, over the whole run and over ranges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MetricService } from '../src/server/services/metricService';
import { blocksPerBucket } from '../src/server/services/metricSeriesPlan';
import type { MetricSeries } from '../src/shared/metricSeries';
import type { SeriesAxis } from '../src/shared/schemas/queries';
import { setupTestServices } from './helpers/fixtures';

const services = setupTestServices();
/** Draws every series with more than 0 points from blocks, so small data takes that path. */
let fromBlocks: MetricService;

interface Point {
  name: string;
  seq: number;
  epoch: number;
  step: number | null;
  value: number;
  time: number;
}
let points: Point[] = [];

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function value(rand: () => number): number {
  const r = rand();
  if (r < 0.03) return Number.NaN;
  if (r < 0.04) return Number.POSITIVE_INFINITY;
  if (r < 0.05) return Number.NEGATIVE_INFINITY;
  return (rand() - 0.3) * 10;
}

const EXPERIMENT = 'blocks-random';
const REPORTS = 4000;

beforeAll(async () => {
  fromBlocks = new MetricService(services.db.pool, services.store, { blockThreshold: 0 });
  await services.sessions.create({ experimentId: EXPERIMENT });
  // Reports in batches of random size with log lines between them, so blocks fill over
  // several statements and seqs skip; steps restart once (a resumed run), so a range on the
  // step axis takes points from two places; `acc` has no step on some reports.
  const rand = random(20261129);
  const start = Date.parse('2026-11-29T10:00:00Z');
  let report = 0;
  while (report < REPORTS) {
    const size = 1 + Math.floor(rand() * 300);
    const batch = Array.from({ length: Math.min(size, REPORTS - report) }, () => {
      const i = report++;
      const step = i < 2500 ? i * 2 : (i - 2500) * 2 + 1000;
      const values: Record<string, number> = { loss: value(rand) };
      if (i % 3 === 0) values.acc = value(rand);
      const noStep = i % 3 === 0 && rand() < 0.2;
      return {
        epoch: Math.floor(i / 100),
        step: noStep ? null : step,
        values,
        timestamp: new Date(start + i * 1000 + Math.floor(rand() * 1000)),
      };
    });
    await services.metrics.appendBatch(EXPERIMENT, batch);
    const lines = Math.floor(rand() * 200);
    if (lines > 0) {
      await services.logs.appendBatch(
        EXPERIMENT,
        Array.from({ length: lines }, (_, k) => ({ level: 'INFO' as const, source: 'trainer', message: `line ${k}` })),
      );
    }
  }
  const { rows } = await services.db.pool.query<Point & { timestamp: Date }>(
    `SELECT p.name, p.seq, p.epoch, p.step, p.value, p."timestamp" FROM metric_point p
       JOIN training_session s ON s.id = p.session_id
      WHERE s.experiment_id = $1 ORDER BY p.seq, p.name`,
    [EXPERIMENT],
  );
  points = rows.map((r) => ({ ...r, time: r.timestamp.getTime() }));
}, 120_000);

function xOf(p: Point, axis: SeriesAxis): number | null {
  return axis === 'step' ? p.step : axis === 'epoch' ? p.epoch : p.time;
}

interface Query {
  x: SeriesAxis;
  from?: number;
  to?: number;
  maxPoints: number;
}

/**
 * The expected series, point by point: which point falls in which bucket is all that the
 * block path and the point path differ in. Blocks: aligned runs of `blocksPerBucket` blocks
 * of 256 seqs over the blocks that hold a point with an x in range. Points: `maxPoints`
 * equal runs of seqs from the first point in range to the last.
 */
function expected(name: string, q: Query, byBlocks: boolean): Omit<MetricSeries, 'last' | 'name'> {
  const inRange = points.filter((p) => {
    const x = xOf(p, q.x);
    return p.name === name && x !== null && (q.from === undefined || x >= q.from) && (q.to === undefined || x <= q.to);
  });
  const out: Omit<MetricSeries, 'last' | 'name'> = { x: [], seq: [], y: [], min: [], max: [], n: [], nonFinite: [] };
  if (inRange.length === 0) return out;
  let bucketOf: (seq: number) => number;
  if (byBlocks) {
    // Candidate blocks are those whose x extent overlaps the range, as metric_block tells it.
    const extent = new Map<number, { lo: number; hi: number }>();
    for (const p of points) {
      const x = xOf(p, q.x);
      if (p.name !== name || x === null) continue;
      const e = extent.get(p.seq >> 8) ?? { lo: x, hi: x };
      extent.set(p.seq >> 8, { lo: Math.min(e.lo, x), hi: Math.max(e.hi, x) });
    }
    const candidates = [...extent]
      .filter(([, e]) => (q.from === undefined || e.hi >= q.from) && (q.to === undefined || e.lo <= q.to))
      .map(([b]) => b)
      .sort((a, b) => a - b);
    const width = blocksPerBucket(candidates[0]!, candidates.at(-1)!, q.maxPoints);
    bucketOf = (seq) => Math.floor((seq >> 8) / width);
  } else {
    const lo = inRange[0]!.seq;
    const width = Math.max(1, Math.ceil((inRange.at(-1)!.seq - lo + 1) / q.maxPoints));
    bucketOf = (seq) => Math.floor((seq - lo) / width);
  }
  for (let i = 0; i < inRange.length;) {
    const bucket = bucketOf(inRange[i]!.seq);
    const members: Point[] = [];
    for (; i < inRange.length && bucketOf(inRange[i]!.seq) === bucket; i++) members.push(inRange[i]!);
    const finite = members.filter((p) => Number.isFinite(p.value)).map((p) => p.value);
    const nonFinite = members.filter((p) => !Number.isFinite(p.value));
    out.x.push(members.reduce((s, p) => s + xOf(p, q.x)!, 0) / members.length);
    out.seq.push(members.at(-1)!.seq);
    out.y.push(finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null);
    out.min.push(finite.length ? Math.min(...finite) : null);
    out.max.push(finite.length ? Math.max(...finite) : null);
    out.n.push(members.length);
    if (nonFinite.length)
      out.nonFinite.push({ x: xOf(nonFinite[0]!, q.x)!, value: nonFinite[0]!.value, count: nonFinite.length });
  }
  return out;
}

/** Equal within float tolerance: sums are taken in a different order on the two paths. */
function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function expectSeries(actual: MetricSeries, want: Omit<MetricSeries, 'last' | 'name'>): void {
  expect(actual.n).toEqual(want.n);
  expect(actual.seq).toEqual(want.seq);
  for (const key of ['x', 'y', 'min', 'max'] as const) {
    const mismatch = actual[key].findIndex((v, i) => !close(v, want[key][i]!));
    expect(mismatch, `${key}[${mismatch}]: ${actual[key][mismatch]} against ${want[key][mismatch]}`).toBe(-1);
  }
  expect(actual.nonFinite.map((m) => m.count)).toEqual(want.nonFinite.map((m) => m.count));
  const marker = actual.nonFinite.findIndex(
    (m, i) => !close(m.x, want.nonFinite[i]!.x) || !close(m.value, want.nonFinite[i]!.value),
  );
  expect(marker, `nonFinite[${marker}]`).toBe(-1);
}

const QUERIES: Query[] = [
  { x: 'step', maxPoints: 10 },
  { x: 'step', maxPoints: 37 },
  { x: 'epoch', maxPoints: 10 },
  { x: 'time', maxPoints: 23 },
  // Step 1,000 to 2,000 is reached twice: before the restart and after it.
  { x: 'step', from: 1000, to: 2000, maxPoints: 10 },
  { x: 'step', from: 3001, to: 6000, maxPoints: 12 },
  { x: 'epoch', from: 7, to: 31, maxPoints: 10 },
  { x: 'time', from: Date.parse('2026-11-29T10:10:00Z'), to: Date.parse('2026-11-29T10:40:00Z'), maxPoints: 10 },
];

describe('metric block rollup', () => {
  it('equals an aggregate of the points after writes in many batches', async () => {
    const { rows } = await services.db.pool.query<{
      name: string;
      block: number;
      n: number;
      first_seq: number;
      last_seq: number;
      value_sum: number | null;
      value_min: number | null;
      value_max: number | null;
      nf_count: number;
      nf_seq: number | null;
      nf_value: number | null;
      step_n: number;
      step_min: number | null;
      epoch_max: number;
      time_min: number;
    }>(
      `SELECT b.* FROM metric_block b JOIN training_session s ON s.id = b.session_id
        WHERE s.experiment_id = $1 ORDER BY b.name, b.block`,
      [EXPERIMENT],
    );
    const groups = new Map<string, Point[]>();
    for (const p of points) {
      const key = `${p.name} ${String(p.seq >> 8).padStart(6, '0')}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    const keys = [...groups.keys()].sort();
    expect(rows.map((r) => `${r.name} ${String(r.block).padStart(6, '0')}`)).toEqual(keys);
    for (const [i, key] of keys.entries()) {
      const g = groups.get(key)!;
      const r = rows[i]!;
      const finite = g.filter((p) => Number.isFinite(p.value)).map((p) => p.value);
      const nf = g.filter((p) => !Number.isFinite(p.value));
      const steps = g.flatMap((p) => (p.step === null ? [] : [p.step]));
      expect(r).toMatchObject({
        n: g.length,
        first_seq: g[0]!.seq,
        last_seq: g.at(-1)!.seq,
        value_min: finite.length ? Math.min(...finite) : null,
        value_max: finite.length ? Math.max(...finite) : null,
        nf_count: nf.length,
        nf_seq: nf[0]?.seq ?? null,
        step_n: steps.length,
        step_min: steps.length ? Math.min(...steps) : null,
        epoch_max: Math.max(...g.map((p) => p.epoch)),
        time_min: Math.min(...g.map((p) => p.time)),
      });
      expect(close(r.value_sum, finite.length ? finite.reduce((a, b) => a + b, 0) : null)).toBe(true);
      expect(close(r.nf_value, nf[0]?.value ?? null)).toBe(true);
    }
  });

  it('draws the same series from blocks as from the points, NaN and ±Infinity included', async () => {
    for (const q of QUERIES) {
      const { series } = await fromBlocks.series({ experimentId: EXPERIMENT, ...q });
      expect(series.map((s) => s.name).sort()).toEqual(['acc', 'loss']);
      for (const s of series) {
        const want = expected(s.name, q, true);
        expect(want.n.length, JSON.stringify(q)).toBeGreaterThan(0);
        expect(s.x.length).toBeLessThanOrEqual(q.maxPoints);
        expectSeries(s, want);
      }
    }
  });

  it('draws a series below the threshold from its points, in buckets of equal seq runs', async () => {
    for (const q of QUERIES) {
      const { series } = await services.metrics.series({ experimentId: EXPERIMENT, ...q });
      for (const s of series) expectSeries(s, expected(s.name, q, false));
    }
  });

  it('keeps the latest point exact on both paths', async () => {
    const last = points.filter((p) => p.name === 'loss').at(-1)!;
    for (const service of [fromBlocks, services.metrics]) {
      const { series } = await service.series({ experimentId: EXPERIMENT, names: ['loss'], x: 'step' });
      expect(series[0]!.last).toMatchObject({ seq: last.seq, step: last.step, epoch: last.epoch });
      expect(close(series[0]!.last!.value, last.value)).toBe(true);
    }
  });

  it('rolls up points written by bulk SQL, and goes with its session', async () => {
    const { session } = await services.sessions.create({ experimentId: 'blocks-bulk' });
    await services.db.pool.query(
      `INSERT INTO metric_point (session_id, seq, epoch, step, name, value, "timestamp")
       SELECT $1, i + 1, i / 100, i, 'loss', CASE WHEN i % 1000 = 0 THEN 'NaN'::float8 ELSE i END, now()
         FROM generate_series(1, 10000) AS i`,
      [session.id],
    );
    await services.db.pool.query(`UPDATE training_session SET last_seq = 10001 WHERE id = $1`, [session.id]);
    const { rows } = await services.db.pool.query<{ n: string; points: string; nf: string; hi: number }>(
      `SELECT count(*) AS n, sum(n) AS points, sum(nf_count) AS nf, max(value_max) AS hi FROM metric_block WHERE session_id = $1`,
      [session.id],
    );
    expect(rows[0]).toEqual({ n: '40', points: '10000', nf: '10', hi: 9999 });

    const { series } = await fromBlocks.series({ experimentId: 'blocks-bulk', x: 'step', maxPoints: 20 });
    expect(series[0]!.n.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(series[0]!.nonFinite.map((m) => m.x)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);

    await services.sessions.delete('blocks-bulk');
    const left = await services.db.pool.query(`SELECT 1 FROM metric_block WHERE session_id = $1`, [session.id]);
    expect(left.rowCount).toBe(0);
  });
});
