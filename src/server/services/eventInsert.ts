/**
 * Stores a batch of log lines and metric reports, numbering them: one statement over arrays
 * (unnest), however large the batch, or inside a transaction from COPY_THRESHOLD_ROWS rows
 * the session row first and then the rows by COPY.
 */
import pg from 'pg';
import type { IngestEvent } from '../../shared/schemas/events';
import type { SessionEvent } from '../../shared/types';
import { copyRows } from './copyRows';
import { sessionNotFound } from './errors';
import { APPEND_SQL, NUMBER_EVENTS_SQL } from './eventSql';

/** From this many rows a batch written inside a transaction goes by COPY (see copyRows.ts). */
const COPY_THRESHOLD_ROWS = 1000;

/** The batch as the columns of its log_entry and metric_point rows; `ord` is the event's place, from 1. */
interface Columns {
  logs: { ord: number[]; level: string[]; message: string[]; source: string[]; ts: Date[] };
  metrics: { ord: number[]; epoch: number[]; step: (number | null)[]; name: string[]; value: number[]; ts: Date[] };
}

export interface Inserted {
  sessionId: number;
  stored: SessionEvent[];
}

/** Stores `events` in order as the next events of the session; throws when there is none. */
export async function insertEvents(db: pg.Pool | pg.PoolClient, experimentId: string, events: IngestEvent[]): Promise<Inserted> {
  const now = new Date();
  const logs: Columns['logs'] = { ord: [], level: [], message: [], source: [], ts: [] };
  const metrics: Columns['metrics'] = { ord: [], epoch: [], step: [], name: [], value: [], ts: [] };
  let lastEpoch: number | null = null;
  let reports = 0;
  events.forEach((event, i) => {
    const ord = i + 1;
    const ts = event.timestamp ?? now;
    if (event.type === 'log') {
      logs.ord.push(ord);
      logs.level.push(event.level);
      logs.message.push(event.message);
      logs.source.push(event.source);
      logs.ts.push(ts);
    } else {
      reports++;
      lastEpoch = event.epoch;
      for (const [name, value] of Object.entries(event.values)) {
        metrics.ord.push(ord);
        metrics.epoch.push(event.epoch);
        metrics.step.push(event.step ?? null);
        metrics.name.push(name);
        metrics.value.push(value);
        metrics.ts.push(ts);
      }
    }
  });
  // NUMBER_EVENTS_SQL's $1..$6, which APPEND_SQL shares.
  const numbering = [experimentId, events.length, logs.ord.length, reports, lastEpoch, now];
  const rowCount = logs.ord.length + metrics.ord.length;
  const byCopy = rowCount >= COPY_THRESHOLD_ROWS && db instanceof pg.Client;
  const { rows } = byCopy
    ? await db.query<{ id: number; base: number }>(NUMBER_EVENTS_SQL, numbering)
    : await db.query<{ id: number; base: number }>(APPEND_SQL, [
        ...numbering,
        logs.ord,
        logs.level,
        logs.message,
        logs.source,
        logs.ts,
        metrics.ord,
        metrics.epoch,
        metrics.step,
        metrics.name,
        metrics.value,
        metrics.ts,
      ]);
  const row = rows[0];
  if (!row) throw sessionNotFound(experimentId);
  if (byCopy) await copyColumns(db, row, { logs, metrics });
  return { sessionId: row.id, stored: numbered(events, row.base, now) };
}

/** The rows of APPEND_SQL, by COPY, once NUMBER_EVENTS_SQL has handed out the numbers. */
async function copyColumns(client: pg.PoolClient, { id, base }: { id: number; base: number }, { logs, metrics }: Columns) {
  if (logs.ord.length) {
    await copyRows(
      client,
      'log_entry',
      ['session_id', 'seq', 'level', 'message', 'source', 'timestamp'],
      logs.ord.map((ord, i) => [id, base + ord, logs.level[i]!, logs.message[i]!, logs.source[i]!, logs.ts[i]!]),
    );
  }
  if (metrics.ord.length) {
    await copyRows(
      client,
      'metric_point',
      ['session_id', 'seq', 'epoch', 'step', 'name', 'value', 'timestamp'],
      metrics.ord.map((ord, i) => [
        id,
        base + ord,
        metrics.epoch[i]!,
        metrics.step[i]!,
        metrics.name[i]!,
        metrics.value[i]!,
        metrics.ts[i]!,
      ]),
    );
  }
}

/** The stored form of events numbered from base + 1. */
function numbered(events: IngestEvent[], base: number, now: Date): SessionEvent[] {
  return events.map((event, i): SessionEvent => {
    const seq = base + i + 1;
    const timestamp = event.timestamp ?? now;
    return event.type === 'log'
      ? { type: 'log', seq, data: { seq, level: event.level, message: event.message, source: event.source, timestamp } }
      : { type: 'metrics', seq, data: { seq, epoch: event.epoch, step: event.step ?? null, timestamp, values: event.values } };
  });
}
