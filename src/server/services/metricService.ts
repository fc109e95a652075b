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
  n: string;
  nf: string;
  nf_x: number | null;
  nf_v: number | null;
}

export class MetricService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
  ) {}

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
   * and ±Infinity are counted per bucket, never averaged in. Every point up to `throughSeq`
   * is included, so live events continue from there without a duplicate.
   *
   * Buckets are ranges of `seq`, which trainers advance together with step, epoch and time:
   * each bucket is then one range scan of the (session_id, name, seq) index feeding a plain
   * aggregate, with no sort or hash of a million rows (measured about twice as fast).
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
    const x = X_SQL[q.x];
    const ranged = q.from !== undefined || q.to !== undefined;
    const inRange = `${x} IS NOT NULL AND ($4::float8 IS NULL OR ${x} >= $4) AND ($5::float8 IS NULL OR ${x} <= $5)`;
    const args = [head.sessionId, names, head.lastSeq, q.from ?? null, q.to ?? null];

    // Each series' seq span within the range and its latest point. The whole run takes two
    // index probes per series; a range is one pass over the series' index entries.
    const span = ranged
      ? `SELECT min(p.seq) AS first_seq, max(p.seq) AS last_seq FROM metric_point p
          WHERE p.session_id = $1 AND p.name = n.name AND p.seq <= $3 AND ${inRange}`
      : `SELECT (SELECT p.seq FROM metric_point p WHERE p.session_id = $1 AND p.name = n.name AND p.seq <= $3
                    AND ${inRange} ORDER BY p.seq LIMIT 1) AS first_seq,
                (SELECT p.seq FROM metric_point p WHERE p.session_id = $1 AND p.name = n.name AND p.seq <= $3
                    AND ${inRange} ORDER BY p.seq DESC LIMIT 1) AS last_seq`;
    const ends = await this.pool.query<SeriesEndRow>(
      `SELECT n.name, s.first_seq, s.last_seq, z.seq, z.epoch, z.step, z.value, z."timestamp", z.x
         FROM unnest($2::text[]) AS n(name)
        CROSS JOIN LATERAL (${span}) s
         LEFT JOIN LATERAL (SELECT p.seq, p.epoch, p.step, p.value, p."timestamp", ${x} AS x FROM metric_point p
                             WHERE p.session_id = $1 AND p.name = n.name AND p.seq <= $3
                             ORDER BY p.seq DESC LIMIT 1) z ON true`,
      args,
    );

    const grid = ends.rows
      .filter((r) => r.first_seq !== null && r.last_seq !== null)
      .map((r) => {
        const width = Math.max(1, Math.ceil((r.last_seq! - r.first_seq! + 1) / q.maxPoints));
        return { name: r.name, lo: r.first_seq!, hi: r.last_seq!, width };
      });
    const finite = `p.value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`;
    const { rows } = grid.length
      ? await this.pool.query<BucketRow>(
          `SELECT g.name, a.*
             FROM unnest($2::text[], $6::int[], $7::int[], $8::int[]) AS g(name, lo, hi, width)
            CROSS JOIN LATERAL generate_series(g.lo, g.hi, g.width) AS b(start)
            CROSS JOIN LATERAL (
                  SELECT avg(${x}) AS x, max(p.seq) AS seq,
                         avg(p.value) FILTER (WHERE ${finite}) AS y,
                         min(p.value) FILTER (WHERE ${finite}) AS lo,
                         max(p.value) FILTER (WHERE ${finite}) AS hi,
                         count(*) AS n,
                         count(*) FILTER (WHERE NOT ${finite}) AS nf,
                         min(${x}) FILTER (WHERE NOT ${finite}) AS nf_x,
                         min(p.value) FILTER (WHERE NOT ${finite}) AS nf_v
                    FROM metric_point p
                   WHERE p.session_id = $1 AND p.name = g.name
                     AND p.seq >= b.start AND p.seq < b.start + g.width AND p.seq <= LEAST($3, g.hi)
                     AND ${inRange}) a
            WHERE a.n > 0
            ORDER BY g.name, b.start`,
          [
            head.sessionId,
            grid.map((g) => g.name),
            head.lastSeq,
            q.from ?? null,
            q.to ?? null,
            grid.map((g) => g.lo),
            grid.map((g) => g.hi),
            grid.map((g) => g.width),
          ],
        )
      : { rows: [] };

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
    for (const r of rows) {
      const s = byName.get(r.name)!;
      s.x.push(r.x);
      s.seq.push(r.seq);
      s.y.push(r.y);
      s.min.push(r.lo);
      s.max.push(r.hi);
      s.n.push(Number(r.n));
      if (r.nf_x !== null) s.nonFinite.push({ x: r.nf_x, value: r.nf_v!, count: Number(r.nf) });
    }
    result.series = names.flatMap((n) => byName.get(n) ?? []);
    return result;
  }
}
