/**
 * Folding raw seconds by the minute: once a minute is complete, a host's single rows of it
 * (host_second) become one host_minute row: a bit per second present, each host value as a
 * 60-slot real[] (NULL where the second is missing) and the GPU values as one
 * smallint[second][value] array. TOAST compresses the arrays; a folded 8-GPU host takes
 * about a quarter of the bytes of its 60 rows (BENCHMARKS.md, fleet).
 *
 * A late sample into a folded minute is stored as a single row and folded into the
 * minute's row on the next pass; a second present in both keeps the folded value, the
 * one stored first. Each slice is one transaction, so a restart resumes with the single
 * rows still there. The writer checks folded minutes only for late samples, under a shared
 * lock that a fold takes exclusively, so a replayed second is never stored twice.
 */
import type pg from 'pg';
import { transactionOn } from '../transaction';
import { HOST_SCALARS } from './hostColumns';
import { MINUTE_SECONDS, SECOND_PRESENT, SECOND_TS } from './hostRaw';

/** Taken exclusively by a fold slice, shared by a write of late samples. */
export const FOLD_LOCK_KEY = 7_311_042_014;
/** Single rows folded per statement: bounds a long backlog (the first start after an outage). */
const SLICE_MS = 10 * 60_000;

const cols = HOST_SCALARS.join(', ');

/**
 * The seconds of host_minute rows `m` (already joined by the caller) as rows of
 * host_second's shape; `from` is the FROM clause that names m.
 */
export function expandedSeconds(from: string): string {
  return `SELECT ${SECOND_TS} AS ts, m.host_id, ${HOST_SCALARS.map((c) => `x.${c}`).join(', ')},
                 CASE WHEN m.gpu IS NOT NULL THEN ARRAY(SELECT unnest(m.gpu[x.i::int:x.i::int][:])) END AS gpu
            FROM ${from}
           ${MINUTE_SECONDS}
           WHERE ${SECOND_PRESENT}`;
}

/** Folds the single rows in [$1, $2) (epoch seconds) into their minutes' rows. */
export function foldStatement(): string {
  const aggs = HOST_SCALARS.map((c) => `array_agg(s.${c} ORDER BY i)`).join(', ');
  return `WITH moved AS (
            DELETE FROM host_second WHERE ts >= to_timestamp($1) AND ts < to_timestamp($2) RETURNING *
          ), keys AS (
            SELECT DISTINCT host_id, date_trunc('minute', ts) AS minute FROM moved
          ), folded AS (
            ${expandedSeconds('keys k JOIN host_minute m ON m.host_id = k.host_id AND m.ts = k.minute')}
          ), secs AS (
            SELECT DISTINCT ON (host_id, ts) ts, host_id, ${cols}, gpu
              FROM (SELECT 0 AS o, * FROM folded UNION ALL SELECT 1 AS o, * FROM moved) u
             ORDER BY host_id, ts, o
          ), g AS (
            SELECT host_id, date_trunc('minute', ts) AS minute, bit_or(1::int8 << extract(second FROM ts)::int) AS present,
                   coalesce(max(cardinality(gpu)), 0) AS w
              FROM secs GROUP BY 1, 2
          )
          INSERT INTO host_minute (ts, host_id, present, ${cols}, gpu)
          SELECT g.minute, g.host_id, g.present, ${aggs},
                 array_agg(coalesce(s.gpu, '{}') || array_fill(NULL::smallint, ARRAY[g.w - coalesce(cardinality(s.gpu), 0)]) ORDER BY i)
                   FILTER (WHERE g.w > 0)
            FROM g CROSS JOIN generate_series(0, 59) AS i
            LEFT JOIN secs s ON s.host_id = g.host_id AND s.ts = g.minute + make_interval(secs => i)
           GROUP BY g.minute, g.host_id, g.present
          ON CONFLICT (host_id, ts) DO UPDATE SET present = EXCLUDED.present, ${HOST_SCALARS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, gpu = EXCLUDED.gpu`;
}

/**
 * Folds every single row of a minute that ends by `until` (epoch ms, a whole minute), in
 * slices of SLICE_MS, oldest first (each its own transaction).
 * Returns the minute rows written.
 */
export async function foldMinutes(client: pg.PoolClient, until: number): Promise<number> {
  const { rows } = await client.query<{ first: Date | null }>(
    'SELECT min(ts) AS first FROM host_second WHERE ts < to_timestamp($1)',
    [until / 1000],
  );
  let from = rows[0]!.first?.getTime();
  if (from === undefined) return 0;
  let written = 0;
  while (from < until) {
    const to = Math.min(until, Math.floor(from / 60_000) * 60_000 + SLICE_MS);
    const slice = { from: from / 1000, to: to / 1000 };
    const { rowCount } = await transactionOn(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [FOLD_LOCK_KEY]);
      return client.query(foldStatement(), [slice.from, slice.to]);
    });
    written += rowCount ?? 0;
    from = to;
  }
  return written;
}
