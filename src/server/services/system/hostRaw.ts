/**
 * Raw seconds as one row set, wherever they are stored: single rows (host_second) and
 * folded minutes (host_minute, see hostFold.ts). Readers select a time range, optionally
 * one host or a joined list; a folded minute is read whole when it overlaps the range and
 * its seconds are cut to the range after unnesting.
 */
import { HOST_SCALARS, rawExpression } from './hostColumns';

export interface RawRange {
  /** A FROM item joined before the tables (its columns may be used below), e.g. unnest(...) AS d(...). */
  join?: string;
  /** SQL for the one host's id, when one. */
  host?: string;
  /** SQL timestamps: [from, to). */
  from: string;
  to: string;
}

export const joined = (range: RawRange, item: string, lateral = false) =>
  range.join ? `${range.join} CROSS JOIN ${lateral ? 'LATERAL ' : ''}${item}` : item;

/** The seconds of a host_minute row `m`, one row each: its values x.<scalar> and its place x.i (1 to 60). */
export const MINUTE_SECONDS = `CROSS JOIN LATERAL unnest(${HOST_SCALARS.map((c) => `m.${c}`).join(', ')}) WITH ORDINALITY AS x(${HOST_SCALARS.join(', ')}, i)`;
/** Second x.i of minute m was stored (its bit in `present`). */
export const SECOND_PRESENT = 'm.present & (1::int8 << (x.i - 1)::int) <> 0';
/** The time of second x.i of minute m. */
export const SECOND_TS = 'm.ts + make_interval(secs => x.i - 1)';

function conditions(range: RawRange, alias: string, folded: boolean): string {
  const host = range.host ? `${alias}.host_id = ${range.host} AND ` : '';
  // A minute row starting up to a minute before `from` still holds seconds in range.
  const from = folded ? `${alias}.ts > ${range.from} - interval '1 minute'` : `${alias}.ts >= ${range.from}`;
  return `${host}${from} AND ${alias}.ts < ${range.to}`;
}

/**
 * Rows (host_id, ts, e0 .. e<length-1>): the raw seconds in range with their values; or,
 * given a list of vector positions, only those (e<i> for each i listed).
 */
export function rawRows(length: number | number[], range: RawRange): string {
  const positions = typeof length === 'number' ? Array.from({ length }, (_, i) => i) : length;
  const values = (scalar: string, gpu: string) => positions.map((i) => `, ${rawExpression(i, scalar, gpu)} AS e${i}`).join('');
  // The subquery detoasts each minute's arrays once (the slice copies them), not once per
  // value read: OFFSET 0 keeps it from being flattened into the outer query.
  const minutes = `(SELECT m.host_id, m.ts, m.present, ${HOST_SCALARS.map((c) => `m.${c}`).join(', ')}, m.gpu[1:60][:] AS gpu
                      FROM host_minute m WHERE ${conditions(range, 'm', true)} OFFSET 0) m`;
  return `SELECT h.host_id, h.ts${values('h.', 'h.gpu')}
            FROM ${joined(range, 'host_second h')}
           WHERE ${conditions(range, 'h', false)}
          UNION ALL
          SELECT m.host_id, ${SECOND_TS} AS ts${values('x.', 'm.gpu[x.i::int]')}
            FROM ${joined(range, minutes, true)}
           ${MINUTE_SECONDS}
           WHERE ${SECOND_PRESENT} AND ${SECOND_TS} >= ${range.from} AND ${SECOND_TS} < ${range.to}`;
}

/** SQL for the longest vector (host values and GPU values) among the raw seconds in range. */
export function rawLength(range: RawRange): string {
  return `SELECT (coalesce(max(w), 0) + ${HOST_SCALARS.length})::int AS len FROM (
            SELECT cardinality(h.gpu) AS w FROM ${joined(range, 'host_second h')} WHERE ${conditions(range, 'h', false)}
            UNION ALL
            SELECT array_length(m.gpu, 2) FROM ${joined(range, 'host_minute m')} WHERE ${conditions(range, 'm', true)}) s`;
}
