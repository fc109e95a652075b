/** Metric reports of a session: append (singly or in batches) and read back. */
import type pg from 'pg';
import type { MetricsEventInput } from '../../shared/schemas/events';
import { listMetricsInput, type ListMetricsInput } from '../../shared/schemas/queries';
import type { MetricReport } from '../../shared/types';
import { sessionNotFound } from './errors';
import type { EventStore } from './eventStore';
import { toMetricReports, type MetricRow } from './rows';

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
}
