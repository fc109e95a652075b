/** Metric reports of a session: append (singly or in batches) and read back. */
import type pg from 'pg';
import type { MetricsEventInput } from '../../shared/schemas/events';
import type { MetricSeries, MetricSeriesResult } from '../../shared/metricSeries';
import {
  listMetricsInput,
  metricSeriesInput,
  type ListMetricsInput,
  type MetricSeriesInput,
  type SeriesAxis,
} from '../../shared/schemas/queries';
import type { MetricReport } from '../../shared/types';
import { sessionNotFound } from './errors';
import type { EventStore } from './eventStore';
import { toMetricReports, type MetricRow } from './rows';

/** The x value of a point on each axis; time is milliseconds since the epoch. */
const X_SQL: Record<SeriesAxis, string> = {
  step: 'p.step::float8',
  epoch: 'p.epoch::float8',
  time: '(extract(epoch FROM p."timestamp") * 1000)::float8',
};

interface SeriesEndRow {
  name: string;
  first_seq: number | null;
  last_seq: number | null;
  seq: number | null;
  epoch: number | null;
  step: number | null;
  value: number | null;
  timestamp: Date | null;
  x: number | null;
}

interface BucketRow {
  name: string;
  x: number;
  seq: number;
  y: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
  nf: number;
  nf_x: number | null;
  nf_v: number | null;
}

/** Seqs per metric_block row: block = seq >> 8, as the metric_blocks migration has it. */
const BLOCK_SIZE = 256;

/** One block's aggregates on one axis, over the points of the block that are in range. */
interface BlockAgg {
  name: string;
  block: number;
  /** Points in range (those with an x on the axis). */
  n: number;
  last_seq: number;
  x_sum: number;
  v_sum: number | null;
  v_min: number | null;
  v_max: number | null;
  nf: number;
  nf_x: number | null;
  nf_value: number | null;
}

/** A metric_block row as read for one axis, with what it takes to tell whether it lies in range. */
interface BlockRow extends BlockAgg {
  all_n: number;
  x_min: number;
  x_max: number;
}

/** metric_block's columns for each axis: points with an x, sum, min, max, x of the first non-finite. */
const BLOCK_AXIS: Record<SeriesAxis, { n: string; sum: string; min: string; max: string; nf: string }> = {
  step: { n: 'step_n', sum: 'step_sum', min: 'step_min', max: 'step_max', nf: 'nf_step' },
  epoch: { n: 'n', sum: 'epoch_sum', min: 'epoch_min', max: 'epoch_max', nf: 'nf_epoch' },
  time: { n: 'n', sum: 'time_sum', min: 'time_min', max: 'time_max', nf: 'nf_time' },
};

/**
 * Blocks per bucket when a series is drawn from blocks: buckets are aligned runs of this many
 * blocks (bucket = floor(block / w)), w the smallest that fits the blocks from `firstBlock`
 * to `lastBlock` into `maxPoints` buckets.
 */
export function blocksPerBucket(firstBlock: number, lastBlock: number, maxPoints: number): number {
  let w = Math.max(1, Math.ceil((lastBlock - firstBlock + 1) / maxPoints));
  while (Math.floor(lastBlock / w) - Math.floor(firstBlock / w) + 1 > maxPoints) w++;
  return w;
}

export interface MetricServiceOptions {
  /**
   * A series with more points than this in the range is drawn from the block rollup
   * (metric_block); a smaller one from its points, in finer buckets.
   */
  blockThreshold?: number;
}

export class MetricService {
  private readonly blockThreshold: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
    options: MetricServiceOptions = {},
  ) {
    this.blockThreshold = options.blockThreshold ?? 50_000;
  }

  async append(experimentId: string, report: MetricsEventInput): Promise<MetricReport> {
    const { events } = await this.store.append(experimentId, [{ type: 'metrics', ...report }]);
    const event = events[0]!;
    if (event.type !== 'metrics') throw new Error('unreachable');
    return event.data;
  }

  async appendBatch(experimentId: string, reports: MetricsEventInput[]): Promise<{ stored: number; lastSeq: number }> {
    const { events } = await this.store.append(
      experimentId,
      reports.map((r) => ({ type: 'metrics' as const, ...r })),
    );
    return { stored: events.length, lastSeq: events.at(-1)?.seq ?? 0 };
  }

  /** The last `limit` reports, oldest first, each with all its values. */
  async list(query: ListMetricsInput): Promise<MetricReport[]> {
    const q = listMetricsInput.parse(query);
    const head = await this.store.head(q.experimentId);
    if (!head) throw sessionNotFound(q.experimentId);
    const limit = q.limit === 0 ? 10_000 : q.limit;
    // Reports are rows sharing a seq; pick the last `limit` seqs, then their rows.
    const { rows } = await this.pool.query<MetricRow>(
      `WITH r AS (
         SELECT DISTINCT seq FROM metric_point
          WHERE session_id = $1 AND ($3::text[] IS NULL OR name = ANY($3))
          ORDER BY seq DESC LIMIT $2
       )
       SELECT m.seq, m.epoch, m.step, m.name, m.value, m."timestamp"
         FROM metric_point m JOIN r ON r.seq = m.seq
        WHERE m.session_id = $1 AND ($3::text[] IS NULL OR m.name = ANY($3))
        ORDER BY m.seq, m.id`,
      [head.sessionId, limit, q.names ?? null],
    );
    return toMetricReports(rows);
  }

  /** Distinct metric names of a session. */
  async names(experimentId: string): Promise<string[]> {
    const head = await this.store.head(experimentId);
    if (!head) throw sessionNotFound(experimentId);
    const { rows } = await this.pool.query<{ name: string }>(
      // A loose index scan: one index probe per distinct name, not a scan of every point.
      `WITH RECURSIVE n AS (
         (SELECT name FROM metric_point WHERE session_id = $1 ORDER BY name LIMIT 1)
         UNION ALL
         SELECT (SELECT name FROM metric_point WHERE session_id = $1 AND name > n.name ORDER BY name LIMIT 1)
           FROM n WHERE n.name IS NOT NULL
       )
       SELECT name FROM n WHERE name IS NOT NULL`,
      [head.sessionId],
    );
    return rows.map((r) => r.name);
  }

  /**
   * Metrics bucketed for drawing: at most `maxPoints` buckets per series over the range,
   * each with the mean, min and max of its finite values, so a spike survives thinning; NaN
   * and ±Infinity are counted per bucket, never averaged in, and the first of them is kept
   * as a marker. Every point up to `throughSeq` is included, so live events continue from
   * there without a duplicate.
   *
   * Buckets are ranges of `seq`, which trainers advance together with step, epoch and time.
   * The block rollup (metric_block, 256 seqs of one metric per row, kept by a trigger) says
   * which blocks hold points in range and how many. A series with many points is merged
   * from whole blocks, reading raw points only for blocks the range cuts or that are still
   * filling: a million points are about 4,000 rows. A smaller one is read from its points,
   * each bucket one range scan of the (session_id, name, seq) index feeding a plain
   * aggregate.
   */
  async series(query: MetricSeriesInput): Promise<MetricSeriesResult> {
    const q = metricSeriesInput.parse(query);
    const head = await this.store.head(q.experimentId);
    if (!head) throw sessionNotFound(q.experimentId);
    const names = q.names ?? (await this.names(q.experimentId));
    const result: MetricSeriesResult = {
      experimentId: q.experimentId,
      x: q.x,
      from: q.from ?? null,
      to: q.to ?? null,
      throughSeq: head.lastSeq,
      series: [],
    };
    if (names.length === 0) return result;
    const from = q.from ?? null;
    const to = q.to ?? null;
    const x = X_SQL[q.x];
    const inRange = `${x} IS NOT NULL AND ($4::float8 IS NULL OR ${x} >= $4) AND ($5::float8 IS NULL OR ${x} <= $5)`;
    const finite = `p.value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`;

    // The blocks that may hold points in range: some point has an x there.
    const c = BLOCK_AXIS[q.x];
    const { rows: blockRows } = await this.pool.query<BlockRow>(
      `SELECT name, block, n AS all_n, last_seq, ${c.n} AS n, ${c.sum} AS x_sum,
              ${c.min}::float8 AS x_min, ${c.max}::float8 AS x_max,
              value_sum AS v_sum, value_min AS v_min, value_max AS v_max,
              nf_count AS nf, ${c.nf}::float8 AS nf_x, nf_value
         FROM metric_block
        WHERE session_id = $1 AND name = ANY($2) AND first_seq <= $3 AND ${c.n} > 0
          AND ($4::float8 IS NULL OR ${c.max} >= $4) AND ($5::float8 IS NULL OR ${c.min} <= $5)
        ORDER BY name, block`,
      [head.sessionId, names, head.lastSeq, from, to],
    );
    const blocksOf = new Map<string, BlockRow[]>();
    for (const b of blockRows) {
      const list = blocksOf.get(b.name);
      if (list) list.push(b);
      else blocksOf.set(b.name, [b]);
    }
    // Per series: merged from blocks, or read from points between the candidate blocks' seqs.
    const fromBlocks = new Map<string, { blocks: BlockRow[]; width: number }>();
    const bounds = names.map((name) => {
      const blocks = blocksOf.get(name);
      if (!blocks) return { lo: null, hi: null };
      const first = blocks[0]!.block;
      const last = blocks.at(-1)!.block;
      const points = blocks.reduce((sum, b) => sum + b.n, 0);
      // Blocks are used when they give at least a quarter of the buckets asked for (each keeps
      // its min and max): below that, points are read, at most 256 x maxPoints / 4 of them.
      if (points > this.blockThreshold && last - first + 1 >= q.maxPoints / 4) {
        fromBlocks.set(name, { blocks, width: blocksPerBucket(first, last, q.maxPoints) });
        return { lo: null, hi: null };
      }
      return { lo: first * BLOCK_SIZE, hi: Math.min(head.lastSeq, (last + 1) * BLOCK_SIZE - 1) };
    });

    // Each series' latest point, and for those read from points, the seq span in range:
    // two index probes within the candidate blocks' seqs.
    const ends = await this.pool.query<SeriesEndRow>(
      `SELECT n.name, s.first_seq, s.last_seq, z.seq, z.epoch, z.step, z.value, z."timestamp", z.x
         FROM unnest($2::text[], $6::int[], $7::int[]) AS n(name, lo, hi)
        CROSS JOIN LATERAL (
              SELECT (SELECT p.seq FROM metric_point p WHERE p.session_id = $1 AND p.name = n.name
                         AND p.seq BETWEEN n.lo AND n.hi AND ${inRange} ORDER BY p.seq LIMIT 1) AS first_seq,
                     (SELECT p.seq FROM metric_point p WHERE p.session_id = $1 AND p.name = n.name
                         AND p.seq BETWEEN n.lo AND n.hi AND ${inRange} ORDER BY p.seq DESC LIMIT 1) AS last_seq) s
         LEFT JOIN LATERAL (SELECT p.seq, p.epoch, p.step, p.value, p."timestamp", ${x} AS x FROM metric_point p
                             WHERE p.session_id = $1 AND p.name = n.name AND p.seq <= $3
                             ORDER BY p.seq DESC LIMIT 1) z ON true`,
      [head.sessionId, names, head.lastSeq, from, to, bounds.map((b) => b.lo), bounds.map((b) => b.hi)],
    );

    const grid = ends.rows
      .filter((r) => r.first_seq !== null && r.last_seq !== null)
      .map((r) => {
        const width = Math.max(1, Math.ceil((r.last_seq! - r.first_seq! + 1) / q.maxPoints));
        return { name: r.name, lo: r.first_seq!, hi: r.last_seq!, width };
      });
    // Blocks a range cuts, or with points after throughSeq, are aggregated from their points.
    const partial: { name: string; block: number }[] = [];
    for (const [name, { blocks }] of fromBlocks) {
      for (const b of blocks) {
        const whole =
          b.n === b.all_n && b.last_seq <= head.lastSeq && (from === null || b.x_min >= from) && (to === null || b.x_max <= to);
        if (!whole) partial.push({ name, block: b.block });
      }
    }
    const blockSql = `p.seq BETWEEN g.block * ${BLOCK_SIZE} AND g.block * ${BLOCK_SIZE} + ${BLOCK_SIZE - 1}`;
    // The first non-finite point of a bucket: its seq from the aggregate, then one index probe
    // for its x and value (an ordered aggregate per bucket cost more than the scan itself).
    const firstNonFinite = `LEFT JOIN LATERAL (SELECT ${x} AS x, p.value FROM metric_point p
                             WHERE p.session_id = $1 AND p.name = g.name AND p.seq = a.nf_seq LIMIT 1) f ON true`;
    const [buckets, partialAggs] = await Promise.all([
      grid.length
        ? this.pool.query<BucketRow>(
            `SELECT g.name, a.x, a.seq, a.y, a.lo, a.hi, a.n, a.nf, f.x AS nf_x, f.value AS nf_v
               FROM unnest($2::text[], $6::int[], $7::int[], $8::int[]) AS g(name, lo, hi, width)
              CROSS JOIN LATERAL generate_series(g.lo, g.hi, g.width) AS b(start)
              CROSS JOIN LATERAL (
                    SELECT avg(${x}) AS x, max(p.seq) AS seq,
                           avg(p.value) FILTER (WHERE ${finite}) AS y,
                           min(p.value) FILTER (WHERE ${finite}) AS lo,
                           max(p.value) FILTER (WHERE ${finite}) AS hi,
                           count(*)::int AS n,
                           count(*) FILTER (WHERE NOT ${finite})::int AS nf,
                           min(p.seq) FILTER (WHERE NOT ${finite}) AS nf_seq
                      FROM metric_point p
                     WHERE p.session_id = $1 AND p.name = g.name
                       AND p.seq >= b.start AND p.seq < b.start + g.width AND p.seq <= LEAST($3, g.hi)
                       AND ${inRange}) a
              ${firstNonFinite}
              WHERE a.n > 0
              ORDER BY g.name, b.start`,
            [
              head.sessionId,
              grid.map((g) => g.name),
              head.lastSeq,
              from,
              to,
              grid.map((g) => g.lo),
              grid.map((g) => g.hi),
              grid.map((g) => g.width),
            ],
          )
        : { rows: [] },
      partial.length
        ? this.pool.query<BlockAgg>(
            `SELECT g.name, g.block, a.n, a.last_seq, a.x_sum, a.v_sum, a.v_min, a.v_max, a.nf,
                    f.x AS nf_x, f.value AS nf_value
               FROM unnest($2::text[], $6::int[]) AS g(name, block)
              CROSS JOIN LATERAL (
                    SELECT count(*)::int AS n, max(p.seq) AS last_seq, sum(${x}) AS x_sum,
                           sum(p.value) FILTER (WHERE ${finite}) AS v_sum,
                           min(p.value) FILTER (WHERE ${finite}) AS v_min,
                           max(p.value) FILTER (WHERE ${finite}) AS v_max,
                           count(*) FILTER (WHERE NOT ${finite})::int AS nf,
                           min(p.seq) FILTER (WHERE NOT ${finite}) AS nf_seq
                      FROM metric_point p
                     WHERE p.session_id = $1 AND p.name = g.name
                       AND ${blockSql} AND p.seq <= $3 AND ${inRange}) a
              ${firstNonFinite}
              WHERE a.n > 0`,
            [head.sessionId, partial.map((b) => b.name), head.lastSeq, from, to, partial.map((b) => b.block)],
          )
        : { rows: [] },
    ]);

    const byName = new Map<string, MetricSeries>();
    for (const r of ends.rows) {
      byName.set(r.name, {
        name: r.name,
        x: [],
        seq: [],
        y: [],
        min: [],
        max: [],
        n: [],
        nonFinite: [],
        last:
          r.seq === null ? null : { x: r.x, value: r.value!, epoch: r.epoch!, step: r.step, seq: r.seq, timestamp: r.timestamp! },
      });
    }
    for (const r of buckets.rows) {
      const s = byName.get(r.name)!;
      s.x.push(r.x);
      s.seq.push(r.seq);
      s.y.push(r.y);
      s.min.push(r.lo);
      s.max.push(r.hi);
      s.n.push(r.n);
      if (r.nf_x !== null) s.nonFinite.push({ x: r.nf_x, value: r.nf_v!, count: r.nf });
    }
    // Partial blocks take their recomputed aggregates, or drop out when no point is in range.
    const recomputed = new Map<string, Map<number, BlockAgg | null>>();
    for (const p of partial) {
      const m = recomputed.get(p.name) ?? new Map<number, BlockAgg | null>();
      m.set(p.block, null);
      recomputed.set(p.name, m);
    }
    for (const a of partialAggs.rows) recomputed.get(a.name)!.set(a.block, a);
    for (const [name, { blocks, width }] of fromBlocks) {
      const m = recomputed.get(name);
      const aggs = blocks.flatMap((b) => {
        const agg = m?.has(b.block) ? m.get(b.block)! : b;
        return agg ? [agg] : [];
      });
      mergeBlocks(byName.get(name)!, aggs, width);
    }
    result.series = names.flatMap((n) => byName.get(n) ?? []);
    return result;
  }
}

/** Appends the buckets of `aggs` (in block order) to `s`, `width` blocks to a bucket. */
function mergeBlocks(s: MetricSeries, aggs: BlockAgg[], width: number): void {
  let i = 0;
  while (i < aggs.length) {
    const bucket = Math.floor(aggs[i]!.block / width);
    let n = 0;
    let xSum = 0;
    let seq = 0;
    let finiteN = 0;
    let vSum = 0;
    let lo: number | null = null;
    let hi: number | null = null;
    let nf = 0;
    let marker: { x: number; value: number } | null = null;
    for (; i < aggs.length && Math.floor(aggs[i]!.block / width) === bucket; i++) {
      const a = aggs[i]!;
      n += a.n;
      xSum += a.x_sum;
      seq = Math.max(seq, a.last_seq);
      nf += a.nf;
      if (a.v_sum !== null) {
        finiteN += a.n - a.nf;
        vSum += a.v_sum;
      }
      if (a.v_min !== null && (lo === null || a.v_min < lo)) lo = a.v_min;
      if (a.v_max !== null && (hi === null || a.v_max > hi)) hi = a.v_max;
      if (marker === null && a.nf > 0) marker = { x: a.nf_x!, value: a.nf_value! };
    }
    s.x.push(xSum / n);
    s.seq.push(seq);
    s.y.push(finiteN > 0 ? vSum / finiteN : null);
    s.min.push(lo);
    s.max.push(hi);
    s.n.push(n);
    if (marker) s.nonFinite.push({ ...marker, count: nf });
  }
}
