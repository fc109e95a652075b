/** Metric reports of a session: append (singly or in batches) and read back. */
import type pg from 'pg';
import type { MetricSeriesResult } from '../../shared/metricSeries';
import { listMetricsInput, metricSeriesInput, type ListMetricsInput, type MetricSeriesInput } from '../../shared/schemas/queries';
import type { MetricReport } from '../../shared/types';
import { sessionNotFound } from './errors';
import { EventAppender } from './eventAppender';
import type { EventStore } from './eventStore';
import { mergeSeries } from './metricSeriesMerge';
import { planSeries, pointGrid } from './metricSeriesPlan';
import { readCandidateBlocks, readPartialBlocks, readPointBuckets, readSeriesEnds, type SeriesScope } from './metricSeriesSql';
import { toMetricReports, type MetricRow } from './rows';

export interface MetricServiceOptions {
  /**
   * A series with more points than this in the range is drawn from the block rollup
   * (metric_block); a smaller one from its points, in finer buckets.
   */
  blockThreshold?: number;
}

export class MetricService extends EventAppender<'metrics'> {
  private readonly blockThreshold: number;

  constructor(
    private readonly pool: pg.Pool,
    store: EventStore,
    options: MetricServiceOptions = {},
  ) {
    super(store, 'metrics');
    this.blockThreshold = options.blockThreshold ?? 50_000;
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
    const scope: SeriesScope = {
      sessionId: head.sessionId,
      throughSeq: head.lastSeq,
      axis: q.x,
      from: q.from ?? null,
      to: q.to ?? null,
    };
    const result: MetricSeriesResult = {
      experimentId: q.experimentId,
      x: q.x,
      from: scope.from,
      to: scope.to,
      throughSeq: head.lastSeq,
      series: [],
    };
    if (names.length === 0) return result;

    const plan = planSeries({
      names,
      blocks: await readCandidateBlocks(this.pool, scope, names),
      maxPoints: q.maxPoints,
      blockThreshold: this.blockThreshold,
      throughSeq: head.lastSeq,
      from: scope.from,
      to: scope.to,
    });
    const ends = await readSeriesEnds(this.pool, scope, names, plan.pointSpans);
    const [buckets, partialAggs] = await Promise.all([
      readPointBuckets(this.pool, scope, pointGrid(ends, q.maxPoints)),
      readPartialBlocks(this.pool, scope, plan.partial),
    ]);
    result.series = mergeSeries(names, ends, buckets, plan, partialAggs);
    return result;
  }
}
