/**
 * The one write path for a session's events, and their read-back by sequence number.
 *
 * Every event of a session gets the next number of that session (1, 2, 3...) in the same
 * statement that stores it: the session row is updated first, which locks it, so numbers
 * are handed out in commit order and never twice. Writes are single SQL statements over
 * arrays (unnest), one round trip however large the batch, which is what lets ingest keep
 * up with PostgreSQL's own limits; Prisma Client serves the simpler reads elsewhere.
 *
 * Only after a write commits is it published on the bus.
 */
import pg from 'pg';
import type { IngestEvent } from '../../shared/schemas/events';
import { TERMINAL_STATUSES, type SessionStatus } from '../../shared/schemas/common';
import type { SessionEvent, SessionInfo } from '../../shared/types';
import { sessionNotFound } from './errors';
import { copyRows } from './copyRows';
import { GroupCommit } from './groupCommit';
import { inProducerTransaction } from './producerTransaction';
import type { EventBus } from './eventBus';
import {
  toLogEntry,
  toMetricReports,
  toSessionInfo,
  toStatusChange,
  type LogRow,
  type MetricRow,
  type SessionRow,
  type StatusRow,
} from './rows';

/**
 * Hands out the numbers of $2 events (taking the session row's lock until commit) and
 * counts them; returns the session id and the number before the first. Shared by both
 * write paths below, with the same parameters $1..$6.
 */
const NUMBER_EVENTS_SQL = `
  UPDATE training_session
     SET last_seq = last_seq + $2::int,
         log_count = log_count + $3::int,
         metrics_count = metrics_count + $4::int,
         current_epoch = COALESCE($5::int, current_epoch),
         -- The run's rhythm for "stalled" (src/shared/stall.ts): the last 16 gaps between writes.
         event_gaps_ms = CASE WHEN last_seen_at IS NULL OR heartbeat_at IS NOT NULL THEN event_gaps_ms
           ELSE (COALESCE(event_gaps_ms, '{}') || LEAST(GREATEST(extract(epoch FROM $6 - last_seen_at) * 1000, 0), 2147483647)::int)
                [GREATEST(1, cardinality(event_gaps_ms) - 14):] END,
         last_seen_at = $6, updated_at = $6
   WHERE experiment_id = $1
   RETURNING id, last_seq - $2::int AS base`;

const APPEND_SQL = `
WITH s AS (${NUMBER_EVENTS_SQL}
), l AS (
  INSERT INTO log_entry (session_id, seq, level, message, source, "timestamp")
  SELECT s.id, s.base + x.ord, x.level::"LogLevel", x.message, x.source, x.ts
    FROM s, unnest($7::int[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
         AS x(ord, level, message, source, ts)
), m AS (
  INSERT INTO metric_point (session_id, seq, epoch, step, name, value, "timestamp")
  SELECT s.id, s.base + x.ord, x.epoch, x.step, x.name, x.value, x.ts
    FROM s, unnest($12::int[], $13::int[], $14::int[], $15::text[], $16::float8[], $17::timestamptz[])
         AS x(ord, epoch, step, name, value, ts)
)
SELECT id, base FROM s`;

const STATUS_SQL = `
WITH prev AS (
  SELECT id, status FROM training_session WHERE experiment_id = $1 FOR UPDATE
), s AS (
  UPDATE training_session t
     SET status = $2::"SessionStatus",
         last_seq = t.last_seq + 1,
         started_at = CASE WHEN $2::text = 'running' THEN COALESCE(t.started_at, $4) ELSE t.started_at END,
         ended_at = CASE WHEN $2::text = ANY($5::text[]) THEN COALESCE(t.ended_at, $4) ELSE NULL END,
         updated_at = $4
    FROM prev
   WHERE t.id = prev.id
  RETURNING t.*, prev.status AS previous_status
), c AS (
  INSERT INTO status_change (session_id, seq, from_status, to_status, message, current_epoch, total_epochs, "timestamp")
  SELECT id, last_seq, previous_status, status, $3, current_epoch, total_epochs, $4 FROM s
)
SELECT * FROM s`;

const CREATE_SQL = `
WITH up AS (
  INSERT INTO training_session AS t (experiment_id, config, total_epochs, host, last_seq, created_at, updated_at)
  VALUES ($1, COALESCE($2::jsonb, '{}'), COALESCE($3::int, 0), $4, 1, $5, $5)
  ON CONFLICT (experiment_id) DO UPDATE
     SET config = COALESCE($2::jsonb, t.config),
         total_epochs = COALESCE($3::int, t.total_epochs),
         host = COALESCE($4, t.host),
         updated_at = $5
  RETURNING t.*, (xmax = 0) AS created
), c AS (
  INSERT INTO status_change (session_id, seq, from_status, to_status, message, current_epoch, total_epochs, "timestamp")
  SELECT id, 1, NULL, 'queued', 'Session created', current_epoch, total_epochs, $5 FROM up WHERE created
)
SELECT * FROM up`;

/** JSONB has no NaN or Infinity; in a config they are kept as the strings "NaN", "Infinity". */
function jsonbSafe(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

type StatusResultRow = SessionRow & { previous_status: SessionStatus };

/** From this many rows a batch written inside a transaction goes by COPY (see copyRows.ts). */
const COPY_THRESHOLD_ROWS = 1000;

interface Columns {
  logs: { ord: number[]; level: string[]; message: string[]; source: string[]; ts: Date[] };
  metrics: { ord: number[]; epoch: number[]; step: (number | null)[]; name: string[]; value: number[]; ts: Date[] };
  lastEpoch: number | null;
  reports: number;
}

export interface AppendResult {
  sessionId: number;
  events: SessionEvent[];
  /** Events skipped because this producer had sent them already. */
  duplicates: number;
}

export class EventStore {
  private readonly groupCommit: GroupCommit<IngestEvent, { sessionId: number; stored: SessionEvent[] }>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
  ) {
    this.groupCommit = new GroupCommit(
      async (experimentId, events) => {
        const result = await this.insert(this.pool, experimentId, events);
        // One announcement for the whole group, in seq order.
        this.publishEvents(experimentId, result.sessionId, result.stored);
        return result;
      },
      (result, offset, count) => ({ sessionId: result.sessionId, stored: result.stored.slice(offset, offset + count) }),
    );
  }

  async createSession(input: {
    experimentId: string;
    config?: Record<string, unknown>;
    totalEpochs?: number;
    host?: string;
  }): Promise<{ session: SessionInfo; created: boolean }> {
    const now = new Date();
    const { rows } = await this.pool.query<SessionRow & { created: boolean }>(CREATE_SQL, [
      input.experimentId,
      input.config === undefined ? null : jsonbSafe(input.config),
      input.totalEpochs ?? null,
      input.host ?? null,
      now,
    ]);
    const row = rows[0]!;
    const session = toSessionInfo(row);
    if (row.created) {
      this.bus.publish({
        kind: 'events',
        experimentId: session.experimentId,
        sessionId: session.id,
        events: [
          {
            type: 'status',
            seq: 1,
            data: {
              seq: 1,
              status: 'queued',
              previousStatus: null,
              message: 'Session created',
              currentEpoch: session.currentEpoch,
              totalEpochs: session.totalEpochs,
              startedAt: null,
              endedAt: null,
              timestamp: now,
            },
          },
        ],
      });
    }
    this.bus.publish({
      kind: 'session',
      experimentId: session.experimentId,
      change: row.created ? 'created' : 'updated',
      session,
    });
    return { session, created: row.created };
  }

  async setStatus(experimentId: string, status: SessionStatus, message?: string): Promise<SessionInfo> {
    const now = new Date();
    const { rows } = await this.pool.query<StatusResultRow>(STATUS_SQL, [
      experimentId,
      status,
      message ?? null,
      now,
      TERMINAL_STATUSES,
    ]);
    if (!rows[0]) throw sessionNotFound(experimentId);
    return this.announceStatus(experimentId, rows[0], message, now);
  }

  /**
   * setStatus as one numbered event of a producer (the REST batch door): stored once however
   * often it is retried. Null when this producer had stored it already.
   */
  async setStatusOnce(
    experimentId: string,
    status: SessionStatus,
    message: string | undefined,
    producer: { id: string; seq: number },
  ): Promise<SessionInfo | null> {
    const now = new Date();
    const row = await inProducerTransaction(this.pool, experimentId, producer.id, async (client, _sessionId, mark) => {
      if (producer.seq <= mark) return { value: null, mark: null };
      const { rows } = await client.query<StatusResultRow>(STATUS_SQL, [
        experimentId,
        status,
        message ?? null,
        now,
        TERMINAL_STATUSES,
      ]);
      return { value: rows[0] ?? null, mark: producer.seq };
    });
    return row ? this.announceStatus(experimentId, row, message, now) : null;
  }

  private announceStatus(experimentId: string, row: StatusResultRow, message: string | undefined, now: Date): SessionInfo {
    const session = toSessionInfo(row);
    this.bus.publish({
      kind: 'events',
      experimentId,
      sessionId: session.id,
      events: [
        {
          type: 'status',
          seq: session.lastSeq,
          data: {
            seq: session.lastSeq,
            status: session.status,
            previousStatus: row.previous_status,
            message: message ?? null,
            currentEpoch: session.currentEpoch,
            totalEpochs: session.totalEpochs,
            startedAt: session.startedAt,
            endedAt: session.endedAt,
            timestamp: now,
          },
        },
      ],
    });
    this.bus.publish({ kind: 'session', experimentId, change: 'updated', session });
    return session;
  }

  /**
   * Stores log lines and metric reports in order, numbering them. With a producer, events
   * at or below its high-water mark were stored by an earlier try and are skipped.
   */
  async append(experimentId: string, events: IngestEvent[], producerId?: string): Promise<AppendResult> {
    if (!producerId) {
      const { sessionId, stored } = await this.groupCommit.submit(experimentId, events);
      return { sessionId, events: stored, duplicates: 0 };
    }
    const result = await inProducerTransaction(this.pool, experimentId, producerId, async (client, sessionId, mark) => {
      const fresh = events.filter((e) => (e.producerSeq ?? 0) > mark);
      if (fresh.length === 0) return { value: { sessionId, events: [], duplicates: events.length }, mark: null };
      const { stored } = await this.insert(client, experimentId, fresh);
      return {
        value: { sessionId, events: stored, duplicates: events.length - fresh.length },
        mark: fresh.at(-1)!.producerSeq ?? null,
      };
    });
    this.publishEvents(experimentId, result.sessionId, result.events);
    return result;
  }

  private publishEvents(experimentId: string, sessionId: number, events: SessionEvent[]): void {
    if (events.length > 0) this.bus.publish({ kind: 'events', experimentId, sessionId, events });
  }

  private async insert(
    db: pg.Pool | pg.PoolClient,
    experimentId: string,
    events: IngestEvent[],
  ): Promise<{ sessionId: number; stored: SessionEvent[] }> {
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
    const rowCount = logs.ord.length + metrics.ord.length;
    if (rowCount >= COPY_THRESHOLD_ROWS && db instanceof pg.Client) {
      return this.insertByCopy(db, experimentId, events, now, { logs, metrics, lastEpoch, reports });
    }
    const { rows } = await db.query<{ id: number; base: number }>(APPEND_SQL, [
      experimentId,
      events.length,
      logs.ord.length,
      reports,
      lastEpoch,
      now,
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
    return { sessionId: row.id, stored: this.numbered(events, row.base, now) };
  }

  /**
   * The same write as APPEND_SQL, for a large batch inside the caller's transaction: the
   * session row first (which locks it and hands out the numbers), then the rows by COPY.
   */
  private async insertByCopy(
    client: pg.PoolClient,
    experimentId: string,
    events: IngestEvent[],
    now: Date,
    { logs, metrics, lastEpoch, reports }: Columns,
  ): Promise<{ sessionId: number; stored: SessionEvent[] }> {
    const { rows } = await client.query<{ id: number; base: number }>(NUMBER_EVENTS_SQL, [
      experimentId,
      events.length,
      logs.ord.length,
      reports,
      lastEpoch,
      now,
    ]);
    const row = rows[0];
    if (!row) throw sessionNotFound(experimentId);
    const { id, base } = row;
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
    return { sessionId: id, stored: this.numbered(events, base, now) };
  }

  /** The stored form of events numbered from base + 1. */
  private numbered(events: IngestEvent[], base: number, now: Date): SessionEvent[] {
    return events.map((event, i): SessionEvent => {
      const seq = base + i + 1;
      const timestamp = event.timestamp ?? now;
      return event.type === 'log'
        ? { type: 'log', seq, data: { seq, level: event.level, message: event.message, source: event.source, timestamp } }
        : { type: 'metrics', seq, data: { seq, epoch: event.epoch, step: event.step ?? null, timestamp, values: event.values } };
    });
  }

  /** Events of a session with afterSeq < seq <= toSeq, in order. */
  async readRange(sessionId: number, afterSeq: number, toSeq: number): Promise<SessionEvent[]> {
    if (toSeq <= afterSeq) return [];
    const range = [sessionId, afterSeq, toSeq];
    const [logs, metrics, statuses] = await Promise.all([
      this.pool.query<LogRow>(
        `SELECT seq, level, message, source, "timestamp" FROM log_entry
          WHERE session_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
        range,
      ),
      this.pool.query<MetricRow>(
        `SELECT seq, epoch, step, name, value, "timestamp" FROM metric_point
          WHERE session_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq, id`,
        range,
      ),
      this.pool.query<StatusRow>(
        `SELECT c.seq, c.from_status, c.to_status, c.message, c.current_epoch, c.total_epochs, c."timestamp",
                s.started_at, s.ended_at
           FROM status_change c JOIN training_session s ON s.id = c.session_id
          WHERE c.session_id = $1 AND c.seq > $2 AND c.seq <= $3 ORDER BY c.seq`,
        range,
      ),
    ]);
    const events: SessionEvent[] = [
      ...logs.rows.map((r): SessionEvent => ({ type: 'log', seq: r.seq, data: toLogEntry(r) })),
      ...toMetricReports(metrics.rows).map((d): SessionEvent => ({ type: 'metrics', seq: d.seq, data: d })),
      ...statuses.rows.map((r): SessionEvent => ({ type: 'status', seq: r.seq, data: toStatusChange(r) })),
    ];
    return events.sort((a, b) => a.seq - b.seq);
  }

  /** The session's id and latest seq, or null if there is none. */
  async head(experimentId: string): Promise<{ sessionId: number; lastSeq: number } | null> {
    const { rows } = await this.pool.query<{ id: number; last_seq: number }>(
      'SELECT id, last_seq FROM training_session WHERE experiment_id = $1',
      [experimentId],
    );
    return rows[0] ? { sessionId: rows[0].id, lastSeq: rows[0].last_seq } : null;
  }
}
