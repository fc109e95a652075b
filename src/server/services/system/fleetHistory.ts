/**
 * One metric of every host over a range, for the fleet's charts: one statement over the
 * 1-minute rollups (10-minute ones for buckets of whole 10 minutes, 1-hour ones for wide
 * buckets or old ranges), its not-yet-rolled right end from the finer tiers, as host
 * history reads it (hostHistory.ts).
 *
 * GPU metrics are written as explicit subscripts of the rollup vectors, one per GPU:
 * unnest()ing the vectors took about twice as long at 1,000 hosts (BENCHMARKS.md,
 * fleetHistory). Subscripts past a host's last GPU are NULL, and every aggregate skips
 * NULLs, so one expression serves hosts with any number of GPUs.
 */
import type pg from 'pg';
import { FLEET_GPU_METRICS, type FleetHistory, type FleetMetric } from '../../../shared/fleetHistory';
import { GPU_VALUES, HOST_SCALARS } from './hostColumns';
import { rawRows } from './hostRaw';
import { pickTier, tierSegments, type Segment } from './hostHistory';
import type { Retention, Watermarks } from './hostRollups';
import { inTransaction } from '../transaction';
import { TIERS, type RollupTier, type TierName } from './hostTiers';

const MINUTE = 60_000;
/**
 * The raw tail is read for at most this long before `to`. Normally the minute tier lags
 * by two minutes or less; if the rollup job is stalled, the gap shows instead of the
 * query scanning hours of raw rows of every host.
 */
export const RAW_TAIL_MS = 10 * MINUTE;
const WORK_MEM = '64MB';

export interface FleetQuery {
  metric: FleetMetric;
  from: number;
  /** Inclusive, epoch ms. */
  to: number;
  /** The most GPUs any host has. */
  gpus: number;
  /** Tier watermarks (see HostRollups.watermarks). */
  marks: Watermarks;
}

/**
 * The tier and the bucket width: whole minutes on the minute tier, whole 10 minutes on the
 * 10-minute tier once a bucket is wider than 10 minutes (or exactly 10), whole hours once it
 * is an hour or wider; a coarser tier once the finer one no longer holds the range.
 */
export function pickFleetTier(
  from: number,
  to: number,
  maxPoints: number,
  retention: Retention,
  now: number,
): { tier: RollupTier; bucketMs: number } {
  // Never raw: the tier only climbs from the floor it is given.
  return pickTier(from, to, maxPoints, retention, now, '1m') as { tier: RollupTier; bucketMs: number };
}

type Kind = 'mean' | 'max';
type FleetGpuMetric = (typeof FLEET_GPU_METRICS)[number];

/** The per GPU value (hostColumns' GPU_VALUES) each GPU metric is made of. */
const GPU_KEYS: Record<FleetGpuMetric, (typeof GPU_VALUES)[number]['key']> = {
  gpu_util: 'util',
  gpu_vram_percent: 'vram_percent',
  gpu_temp: 'temp',
  gpu_power: 'power',
};

/**
 * Per row of a tier: the vector positions the metric reads (as columns g0, g1, ...), its
 * value made of them (SQL), and whether buckets take its mean or max.
 */
export function rowExpression(metric: FleetMetric, tier: TierName, gpus: number): { columns: string[]; sql: string; kind: Kind } {
  const scalar = (HOST_SCALARS as readonly string[]).indexOf(metric);
  // Raw seconds come from hostRaw.ts's rows, value i as column e<i>.
  if (scalar >= 0) return { columns: [tier === 'raw' ? `e${scalar}` : `av[${scalar + 1}]`], sql: 'g0', kind: 'mean' };
  const k = GPU_VALUES.findIndex((v) => v.key === GPU_KEYS[metric as FleetGpuMetric]);
  if (k < 0) throw new Error(`unknown fleet metric ${metric}`);
  const kind: Kind = metric === 'gpu_temp' ? 'max' : 'mean';
  if (gpus === 0) return { columns: [], sql: 'NULL::float8', kind };
  const columns = Array.from({ length: gpus }, (_, g) => {
    const i = HOST_SCALARS.length + g * GPU_VALUES.length + k;
    return tier === 'raw' ? `e${i}` : `${kind === 'max' ? 'mx' : 'av'}[${i + 1}]`;
  });
  const terms = columns.map((_, g) => `g${g}`);
  if (metric === 'gpu_temp') return { columns, sql: `greatest(${terms.join(', ')})`, kind };
  const sum = `(${terms.map((t) => `coalesce(${t}, 0)`).join(' + ')})::float8`;
  const present = `num_nonnulls(${terms.join(', ')})`;
  return {
    columns,
    sql: metric === 'gpu_power' ? `CASE WHEN ${present} > 0 THEN ${sum} END` : `${sum} / nullif(${present}, 0)`,
    kind,
  };
}

/** The raw vector positions the metric reads (those rowExpression names e<i>). */
function positions(metric: FleetMetric, gpus: number): number[] {
  return rowExpression(metric, 'raw', gpus).columns.map((c) => Number(c.slice(1)));
}

/** [from, to) of each tier read: the chosen one up to its watermark, then the finer ones. */
export function segments(q: FleetQuery, tier: RollupTier): Segment[] {
  return tierSegments(tier, q.from, q.to + 1, q.marks, q.to + 1 - RAW_TAIL_MS);
}

/**
 * Per host with any value: the bucket indexes (from `first`) and the values. The sums and
 * counts of each segment are combined per bucket, so a bucket cut by a watermark is whole.
 */
export function fleetQuerySql(q: FleetQuery, tier: RollupTier): { text: string; values: number[] } {
  // $1 bucket width, $2 first bucket start; then [from, to) of each segment.
  const values: number[] = [];
  const parts = segments(q, tier).map((seg) => {
    const { columns, sql, kind } = rowExpression(q.metric, seg.tier, q.gpus);
    const weight = seg.tier === 'raw' ? '1' : 'n';
    values.push(seg.from, seg.to);
    const p = values.length + 1;
    const from = `to_timestamp($${p}::float8 / 1000)`;
    const to = `to_timestamp($${p + 1}::float8 / 1000)`;
    const source =
      seg.tier === 'raw'
        ? `(${rawRows(positions(q.metric, q.gpus), { from, to })}) s`
        : `${TIERS[seg.tier].table} WHERE ts >= ${from} AND ts < ${to}`;
    // OFFSET 0 keeps each subquery whole, so every subscript and the row's value are
    // computed once, not once per reference (a third of the time with 8 GPUs).
    return `SELECT host_id, date_bin(make_interval(secs => $1::float8 / 1000), ts, 'epoch'::timestamptz) AS t,
                   ${kind === 'max' ? 'max(e)' : 'sum(e * w)'} AS s, ${kind === 'max' ? '1' : 'sum(w) FILTER (WHERE e IS NOT NULL)'} AS c
              FROM (SELECT host_id, ts, w, (${sql})::float8 AS e
                      FROM (SELECT host_id, ts, ${weight}::float8 AS w${columns.map((c, i) => `, ${c} AS g${i}`).join('')}
                              FROM ${source}
                            OFFSET 0) x
                    OFFSET 0) r
             GROUP BY 1, 2`;
  });
  const kind = rowExpression(q.metric, '1m', q.gpus).kind;
  const value = kind === 'max' ? 'max(s)' : 'sum(s) / nullif(sum(c), 0)';
  // The two arrays are fed the same rows in the same order, so they pair up without a sort.
  const text = `SELECT h.name, b.i, b.v
                  FROM (SELECT host_id, array_agg(i) AS i, array_agg(v) AS v
                          FROM (SELECT host_id, ((extract(epoch FROM t) * 1000 - $2::float8) / $1::float8)::int AS i, (${value})::real AS v
                                  FROM (${parts.length ? parts.join(' UNION ALL ') : 'SELECT 0 AS host_id, now() AS t, 0::float8 AS s, 0::float8 AS c WHERE false'}) u
                                 GROUP BY host_id, t) x
                         WHERE v IS NOT NULL
                         GROUP BY host_id) b
                  JOIN host h ON h.id = b.host_id`;
  return { text, values };
}

export async function readFleetHistory(pool: pg.Pool, q: FleetQuery, tier: RollupTier, bucketMs: number): Promise<FleetHistory> {
  const first = Math.floor(q.from / bucketMs) * bucketMs;
  const count = Math.max(0, Math.floor(q.to / bucketMs) - Math.floor(q.from / bucketMs) + 1);
  const { text, values } = fleetQuerySql(q, tier);
  const { rows } = await inTransaction(pool, async (client) => {
    // 24 h of 1,000 hosts is 300,000 groups: at the default work_mem the aggregate spills to disk.
    await client.query(`SET LOCAL work_mem = '${WORK_MEM}'`);
    return client.query<{ name: string; i: number[]; v: (number | null)[] }>(text, [bucketMs, first, ...values]);
  });
  const hosts = rows
    .map((r) => {
      const out: (number | null)[] = new Array<number | null>(count).fill(null);
      r.i.forEach((i, j) => {
        if (i >= 0 && i < count) out[i] = r.v[j] ?? null;
      });
      return { host: r.name, values: out };
    })
    .sort((a, b) => a.host.localeCompare(b.host));
  return { metric: q.metric, tier, bucketMs, from: first, hosts };
}
