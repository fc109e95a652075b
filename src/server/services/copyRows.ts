/**
 * Large batches go to PostgreSQL with COPY, its fastest way in: rows streamed in its text
 * format rather than parsed from array parameters by an INSERT ... SELECT.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

type Cell = string | number | Date | null;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format: \N for null, ISO time, and escaped text. */
function cell(value: Cell): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return String(value); // NaN, Infinity and -Infinity read back as such
  return value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!);
}

/** COPYs `rows` into `table` (columns quoted as given) on a client inside a transaction. */
export async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<Cell[]>): Promise<void> {
  const lines = function* () {
    let chunk = '';
    for (const row of rows) {
      chunk += `${row.map(cell).join('\t')}\n`;
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  const sql = `COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
}
