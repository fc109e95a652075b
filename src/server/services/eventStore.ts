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
import type pg from 'pg';
import type { IngestEvent } from '../../shared/schemas/events';
import { TERMINAL_STATUSES, type SessionStatus } from '../../shared/schemas/common';
import type { SessionEvent, SessionInfo } from '../../shared/types';
import { sessionNotFound } from './errors';
import type { EventBus } from './eventBus';
import { insertEvents, type Inserted } from './eventInsert';
import { CREATE_SQL, STATUS_SQL } from './eventSql';
import { GroupCommit } from './groupCommit';
import { inProducerTransaction } from './producerTransaction';
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

/** JSONB has no NaN or Infinity; in a config they are kept as the strings "NaN", "Infinity". */
function jsonbSafe(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

type StatusResultRow = SessionRow & { previous_status: SessionStatus };

/** Moves the session to `status` on `db`; undefined when there is no such session. */
async function changeStatus(
  db: pg.Pool | pg.PoolClient,
  experimentId: string,
  status: SessionStatus,
  message: string | undefined,
  now: Date,
): Promise<StatusResultRow | undefined> {
  const { rows } = await db.query<StatusResultRow>(STATUS_SQL, [experimentId, status, message ?? null, now, TERMINAL_STATUSES]);
  return rows[0];
}

/** The status event a session's row tells of, right after it changed to its present status. */
function statusEvent(
  session: SessionInfo,
  previousStatus: SessionStatus | null,
  message: string | null,
  timestamp: Date,
): SessionEvent {
  return {
    type: 'status',
    seq: session.lastSeq,
    data: {
      seq: session.lastSeq,
      status: session.status,
      previousStatus,
      message,
      currentEpoch: session.currentEpoch,
      totalEpochs: session.totalEpochs,
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      timestamp,
    },
  };
}

export interface AppendResult {
  sessionId: number;
  events: SessionEvent[];
  /** Events skipped because this producer had sent them already. */
  duplicates: number;
}

export class EventStore {
  private readonly groupCommit: GroupCommit<IngestEvent, Inserted>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
  ) {
    this.groupCommit = new GroupCommit(
      async (experimentId, events) => {
        const result = await insertEvents(this.pool, experimentId, events);
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
    // A new row is at its first event: seq 1, queued, as CREATE_SQL stored it.
    if (row.created) this.publishEvents(session.experimentId, session.id, [statusEvent(session, null, 'Session created', now)]);
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
    const row = await changeStatus(this.pool, experimentId, status, message, now);
    if (!row) throw sessionNotFound(experimentId);
    return this.announceStatus(experimentId, row, message, now);
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
      return { value: (await changeStatus(client, experimentId, status, message, now)) ?? null, mark: producer.seq };
    });
    return row ? this.announceStatus(experimentId, row, message, now) : null;
  }

  private announceStatus(experimentId: string, row: StatusResultRow, message: string | undefined, now: Date): SessionInfo {
    const session = toSessionInfo(row);
    this.publishEvents(experimentId, session.id, [statusEvent(session, row.previous_status, message ?? null, now)]);
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
      const { stored } = await insertEvents(client, experimentId, fresh);
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
