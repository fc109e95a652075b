/**
 * The tiers of host history and the SQL that reads them the same way: raw rows (one a
 * second) and the 1-minute, 10-minute and 1-hour rollups (n samples, min/mean/max vectors). Each can
 * answer "per bucket: count, min, sum and max of value i", which is what history needs
 * and what the next tier's rollup is made of.
 */
import { joined, rawLength, rawRows, type RawRange } from './hostRaw';

export type TierName = 'raw' | '1m' | '10m' | '1h';
export type RollupTier = Exclude<TierName, 'raw'>;

export interface Tier {
  name: TierName;
  table: string;
  /** Width of one row in ms. */
  stepMs: number;
}

export const TIERS: Record<TierName, Tier> = {
  // Raw seconds are read through hostRaw.ts (single rows and folded minutes); the view
  // host_sample shows both as one row per second.
  raw: { name: 'raw', table: 'host_sample', stepMs: 1000 },
  '1m': { name: '1m', table: 'host_rollup_1m', stepMs: 60_000 },
  '10m': { name: '10m', table: 'host_rollup_10m', stepMs: 600_000 },
  '1h': { name: '1h', table: 'host_rollup_1h', stepMs: 3_600_000 },
};

/**
 * The tier each rollup tier is made from. Hours stay made from minutes, as before the
 * 10-minute tier: their values are unchanged, and neither coarse tier waits on the other.
 */
export const SOURCE: Record<RollupTier, TierName> = { '1m': 'raw', '10m': '1m', '1h': '1m' };

/** The start of the row of `into` a source row at `ts` (SQL) belongs to. */
const ROW_START: Record<RollupTier, (ts: string) => string> = {
  '1m': (ts) => `date_trunc('minute', ${ts})`,
  '10m': (ts) => `date_bin('10 minutes', ${ts}, 'epoch'::timestamptz)`,
  '1h': (ts) => `date_trunc('hour', ${ts})`,
};

interface Parts {
  count: string;
  min: string;
  sum: string;
  max: string;
}

/** Aggregates of vector position i (0-based) over rows of a tier. */
function parts(tier: TierName, i: number): Parts {
  if (tier === 'raw') {
    const e = `s.e${i}`;
    return { count: `count(${e})`, min: `min(${e})`, sum: `sum((${e})::float8)`, max: `max(${e})` };
  }
  const p = i + 1;
  return {
    count: `sum(n) FILTER (WHERE av[${p}] IS NOT NULL)`,
    min: `min(mn[${p}])`,
    sum: `sum(av[${p}]::float8 * n)`,
    max: `max(mx[${p}])`,
  };
}

/** The count of samples in a group of rows of a tier. */
export const sampleCount = (tier: TierName) => (tier === 'raw' ? 'count(*)' : 'sum(n)');

/** A FROM item (alias s) of the tier's rows in range, with the columns parts() reads. */
export function tierRows(tier: TierName, length: number, range: RawRange): string {
  if (tier === 'raw') return `(${rawRows(length, range)}) s`;
  const host = range.host ? `s.host_id = ${range.host} AND ` : '';
  return `(SELECT s.* FROM ${joined(range, `${TIERS[tier].table} s`)}
            WHERE ${host}s.ts >= ${range.from} AND s.ts < ${range.to}) s`;
}

/**
 * Per bucket of $2 ms: t, then for each of `length` values its count c<i>, min n<i>, sum
 * s<i> and max x<i>; one host ($1), rows in [$3, $4).
 */
export function bucketQuery(tier: TierName, length: number): string {
  const columns: string[] = [];
  for (let i = 0; i < length; i++) {
    const p = parts(tier, i);
    columns.push(`${p.count} AS c${i}`, `${p.min} AS n${i}`, `${p.sum} AS s${i}`, `${p.max} AS x${i}`);
  }
  const range = { host: '$1', from: 'to_timestamp($3::float8 / 1000)', to: 'to_timestamp($4::float8 / 1000)' };
  return `SELECT (floor(extract(epoch FROM s.ts) * 1000 / $2) * $2)::int8 AS t${columns.map((c) => `, ${c}`).join('')}
            FROM ${tierRows(tier, length, range)}
           GROUP BY 1 ORDER BY 1`;
}

/**
 * The rollup rows of `into` for the rows of its source in `range`, grouped per host and per
 * row width of `into`; replaces rows already there.
 */
export function rollupStatement(into: RollupTier, length: number, range: RawRange): string {
  const source = SOURCE[into];
  const mins: string[] = [];
  const avgs: string[] = [];
  const maxs: string[] = [];
  for (let i = 0; i < length; i++) {
    const p = parts(source, i);
    mins.push(p.min);
    avgs.push(`(${p.sum} / NULLIF(${p.count}, 0))::real`);
    maxs.push(p.max);
  }
  const vector = (xs: string[]) => (length === 0 ? `'{}'::real[]` : `ARRAY[${xs.join(', ')}]::real[]`);
  return `INSERT INTO ${TIERS[into].table} (ts, host_id, n, mn, av, mx)
          SELECT ${ROW_START[into]('s.ts')}, s.host_id, ${sampleCount(source)}, ${vector(mins)}, ${vector(avgs)}, ${vector(maxs)}
            FROM ${tierRows(source, length, range)}
           GROUP BY 1, 2
          ON CONFLICT (host_id, ts) DO UPDATE SET n = EXCLUDED.n, mn = EXCLUDED.mn, av = EXCLUDED.av, mx = EXCLUDED.mx
          RETURNING host_id, ts`;
}

/** SQL for the longest vector among the rows of a tier in range. */
export function lengthQuery(tier: TierName, range: RawRange): string {
  if (tier === 'raw') return rawLength(range);
  return `SELECT coalesce(max(cardinality(s.av)), 0)::int AS len FROM ${tierRows(tier, 0, range)}`;
}
