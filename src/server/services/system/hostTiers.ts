/**
 * The three tiers of host history and the SQL that reads them the same way: raw rows (one a
 * second) and the 1-minute and 1-hour rollups (n samples, min/mean/max vectors). Each can
 * answer "per bucket: count, min, sum and max of value i", which is what history needs
 * and what the next tier's rollup is made of.
 */
import { HOST_SCALARS, rawExpression } from './hostColumns';

export type TierName = 'raw' | '1m' | '1h';

export interface Tier {
  name: TierName;
  table: string;
  /** Width of one row in ms. */
  stepMs: number;
}

export const TIERS: Record<TierName, Tier> = {
  raw: { name: 'raw', table: 'host_sample', stepMs: 1000 },
  '1m': { name: '1m', table: 'host_rollup_1m', stepMs: 60_000 },
  '1h': { name: '1h', table: 'host_rollup_1h', stepMs: 3_600_000 },
};

/** The tier each rollup tier is made from. */
export const SOURCE: Record<'1m' | '1h', TierName> = { '1m': 'raw', '1h': '1m' };

interface Parts {
  count: string;
  min: string;
  sum: string;
  max: string;
}

/** Aggregates of vector position i (0-based) over rows of a tier. */
function parts(tier: TierName, i: number): Parts {
  if (tier === 'raw') {
    const e = rawExpression(i);
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
  return `SELECT (floor(extract(epoch FROM ts) * 1000 / $2) * $2)::int8 AS t${columns.map((c) => `, ${c}`).join('')}
            FROM ${TIERS[tier].table}
           WHERE host_id = $1 AND ts >= to_timestamp($3::float8 / 1000) AND ts < to_timestamp($4::float8 / 1000)
           GROUP BY 1 ORDER BY 1`;
}

/**
 * The rollup rows of `into` for the rows of its source selected by `where` (which may use
 * the alias s), grouped per host and per row width of `into`; replaces rows already there.
 */
export function rollupStatement(into: '1m' | '1h', length: number, from: string, where: string): string {
  const source = SOURCE[into];
  const width = into === '1m' ? 'minute' : 'hour';
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
          SELECT date_trunc('${width}', s.ts), s.host_id, ${sampleCount(source)}, ${vector(mins)}, ${vector(avgs)}, ${vector(maxs)}
            FROM ${TIERS[source].table} s ${from}
           WHERE ${where}
           GROUP BY 1, 2
          ON CONFLICT (host_id, ts) DO UPDATE SET n = EXCLUDED.n, mn = EXCLUDED.mn, av = EXCLUDED.av, mx = EXCLUDED.mx
          RETURNING host_id, ts`;
}

/** SQL for the longest vector among rows of a tier selected by `where` (alias s). */
export function lengthQuery(tier: TierName, from: string, where: string): string {
  const e =
    tier === 'raw' ? `coalesce(max(cardinality(s.gpu)), 0) + ${HOST_SCALARS.length}` : 'coalesce(max(cardinality(s.av)), 0)';
  return `SELECT (${e})::int AS len FROM ${TIERS[tier].table} s ${from} WHERE ${where}`;
}
