/**
 * The four statements behind `metric.series`, in the order the service runs them: the
 * candidate blocks, each series' ends, then (together) the point buckets and the blocks a
 * range cuts. All take the same first five parameters, so their fragments can be shared.
 */
import type pg from 'pg';
import type { SeriesAxis } from '../../shared/schemas/queries';
import { BLOCK_SIZE, type BlockAgg, type BlockRow, type PointGrid, type SeqSpan } from './metricSeriesPlan';

/** What every statement reads: $1 the session, $3 throughSeq, $4..$5 the range on `axis`. */
export interface SeriesScope {
  sessionId: number;
  throughSeq: number;
  axis: SeriesAxis;
  from: number | null;
  to: number | null;
}

export interface SeriesEndRow {
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

export interface BucketRow {
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

/** The x value of a point on each axis; time is milliseconds since the epoch. */
const X_SQL: Record<SeriesAxis, string> = {
  step: 'p.step::float8',
  epoch: 'p.epoch::float8',
  time: '(extract(epoch FROM p."timestamp") * 1000)::float8',
};

/** metric_block's columns for each axis: points with an x, sum, min, max, x of the first non-finite. */
const BLOCK_AXIS: Record<SeriesAxis, { n: string; sum: string; min: string; max: string; nf: string }> = {
  step: { n: 'step_n', sum: 'step_sum', min: 'step_min', max: 'step_max', nf: 'nf_step' },
  epoch: { n: 'n', sum: 'epoch_sum', min: 'epoch_min', max: 'epoch_max', nf: 'nf_epoch' },
  time: { n: 'n', sum: 'time_sum', min: 'time_min', max: 'time_max', nf: 'nf_time' },
};

const FINITE = `p.value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`;

const inRange = (x: string) => `${x} IS NOT NULL AND ($4::float8 IS NULL OR ${x} >= $4) AND ($5::float8 IS NULL OR ${x} <= $5)`;

/**
 * The first non-finite point of a bucket: its seq from the aggregate, then one index probe
 * for its x and value (an ordered aggregate per bucket cost more than the scan itself).
 */
const firstNonFinite = (x: string) => `LEFT JOIN LATERAL (SELECT ${x} AS x, p.value FROM metric_point p
                             WHERE p.session_id = $1 AND p.name = g.name AND p.seq = a.nf_seq LIMIT 1) f ON true`;

const scopeParams = (s: SeriesScope) => [s.sessionId, s.throughSeq, s.from, s.to] as const;

/** The blocks that may hold points in range: some point has an x there. Ordered by name, block. */
export async function readCandidateBlocks(pool: pg.Pool, scope: SeriesScope, names: string[]): Promise<BlockRow[]> {
  const c = BLOCK_AXIS[scope.axis];
  const [sessionId, throughSeq, from, to] = scopeParams(scope);
  const { rows } = await pool.query<BlockRow>(
    `SELECT name, block, n AS all_n, last_seq, ${c.n} AS n, ${c.sum} AS x_sum,
            ${c.min}::float8 AS x_min, ${c.max}::float8 AS x_max,
            value_sum AS v_sum, value_min AS v_min, value_max AS v_max,
            nf_count AS nf, ${c.nf}::float8 AS nf_x, nf_value
       FROM metric_block
      WHERE session_id = $1 AND name = ANY($2) AND first_seq <= $3 AND ${c.n} > 0
        AND ($4::float8 IS NULL OR ${c.max} >= $4) AND ($5::float8 IS NULL OR ${c.min} <= $5)
      ORDER BY name, block`,
    [sessionId, names, throughSeq, from, to],
  );
  return rows;
}

/**
 * Each series' latest point, and for those read from points, the seq span in range: two
 * index probes within `spans` (one per name).
 */
export async function readSeriesEnds(
  pool: pg.Pool,
  scope: SeriesScope,
  names: string[],
  spans: SeqSpan[],
): Promise<SeriesEndRow[]> {
  const x = X_SQL[scope.axis];
  const [sessionId, throughSeq, from, to] = scopeParams(scope);
  const { rows } = await pool.query<SeriesEndRow>(
    `SELECT n.name, s.first_seq, s.last_seq, z.seq, z.epoch, z.step, z.value, z."timestamp", z.x
       FROM unnest($2::text[], $6::int[], $7::int[]) AS n(name, lo, hi)
      CROSS JOIN LATERAL (
            SELECT (SELECT p.seq FROM metric_point p WHERE p.session_id = $1 AND p.name = n.name
                       AND p.seq BETWEEN n.lo AND n.hi AND ${inRange(x)} ORDER BY p.seq LIMIT 1) AS first_seq,
                   (SELECT p.seq FROM metric_point p WHERE p.session_id = $1 AND p.name = n.name
                       AND p.seq BETWEEN n.lo AND n.hi AND ${inRange(x)} ORDER BY p.seq DESC LIMIT 1) AS last_seq) s
       LEFT JOIN LATERAL (SELECT p.seq, p.epoch, p.step, p.value, p."timestamp", ${x} AS x FROM metric_point p
                           WHERE p.session_id = $1 AND p.name = n.name AND p.seq <= $3
                           ORDER BY p.seq DESC LIMIT 1) z ON true`,
    [sessionId, names, throughSeq, from, to, spans.map((b) => b.lo), spans.map((b) => b.hi)],
  );
  return rows;
}

/**
 * The buckets of the series read from points, in order: each one range scan of the
 * (session_id, name, seq) index feeding a plain aggregate.
 */
export async function readPointBuckets(pool: pg.Pool, scope: SeriesScope, grid: PointGrid[]): Promise<BucketRow[]> {
  if (grid.length === 0) return [];
  const x = X_SQL[scope.axis];
  const [sessionId, throughSeq, from, to] = scopeParams(scope);
  const { rows } = await pool.query<BucketRow>(
    `SELECT g.name, a.x, a.seq, a.y, a.lo, a.hi, a.n, a.nf, f.x AS nf_x, f.value AS nf_v
       FROM unnest($2::text[], $6::int[], $7::int[], $8::int[]) AS g(name, lo, hi, width)
      CROSS JOIN LATERAL generate_series(g.lo, g.hi, g.width) AS b(start)
      CROSS JOIN LATERAL (
            SELECT avg(${x}) AS x, max(p.seq) AS seq,
                   avg(p.value) FILTER (WHERE ${FINITE}) AS y,
                   min(p.value) FILTER (WHERE ${FINITE}) AS lo,
                   max(p.value) FILTER (WHERE ${FINITE}) AS hi,
                   count(*)::int AS n,
                   count(*) FILTER (WHERE NOT ${FINITE})::int AS nf,
                   min(p.seq) FILTER (WHERE NOT ${FINITE}) AS nf_seq
              FROM metric_point p
             WHERE p.session_id = $1 AND p.name = g.name
               AND p.seq >= b.start AND p.seq < b.start + g.width AND p.seq <= LEAST($3, g.hi)
               AND ${inRange(x)}) a
      ${firstNonFinite(x)}
      WHERE a.n > 0
      ORDER BY g.name, b.start`,
    [
      sessionId,
      grid.map((g) => g.name),
      throughSeq,
      from,
      to,
      grid.map((g) => g.lo),
      grid.map((g) => g.hi),
      grid.map((g) => g.width),
    ],
  );
  return rows;
}

/** The aggregates of blocks a range cuts or that are still filling, from their points in range. */
export async function readPartialBlocks(
  pool: pg.Pool,
  scope: SeriesScope,
  partial: { name: string; block: number }[],
): Promise<BlockAgg[]> {
  if (partial.length === 0) return [];
  const x = X_SQL[scope.axis];
  const [sessionId, throughSeq, from, to] = scopeParams(scope);
  const { rows } = await pool.query<BlockAgg>(
    `SELECT g.name, g.block, a.n, a.last_seq, a.x_sum, a.v_sum, a.v_min, a.v_max, a.nf,
            f.x AS nf_x, f.value AS nf_value
       FROM unnest($2::text[], $6::int[]) AS g(name, block)
      CROSS JOIN LATERAL (
            SELECT count(*)::int AS n, max(p.seq) AS last_seq, sum(${x}) AS x_sum,
                   sum(p.value) FILTER (WHERE ${FINITE}) AS v_sum,
                   min(p.value) FILTER (WHERE ${FINITE}) AS v_min,
                   max(p.value) FILTER (WHERE ${FINITE}) AS v_max,
                   count(*) FILTER (WHERE NOT ${FINITE})::int AS nf,
                   min(p.seq) FILTER (WHERE NOT ${FINITE}) AS nf_seq
              FROM metric_point p
             WHERE p.session_id = $1 AND p.name = g.name
               AND p.seq BETWEEN g.block * ${BLOCK_SIZE} AND g.block * ${BLOCK_SIZE} + ${BLOCK_SIZE - 1}
               AND p.seq <= $3 AND ${inRange(x)}) a
      ${firstNonFinite(x)}
      WHERE a.n > 0`,
    [sessionId, partial.map((b) => b.name), throughSeq, from, to, partial.map((b) => b.block)],
  );
  return rows;
}
