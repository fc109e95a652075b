/** Row shapes of the SQL the services run, and their mapping to the API's types. */
import type { LogLevel, SessionStatus } from '../../shared/schemas/common';
import { env } from '../../env';
import { stallAfterMs } from '../../shared/stall';
import type { LogEntry, MetricReport, SessionInfo, StatusChangeEntry } from '../../shared/types';

export interface SessionRow {
  id: number;
  experiment_id: string;
  status: SessionStatus;
  config: Record<string, unknown>;
  host: string | null;
  current_epoch: number;
  total_epochs: number;
  log_count: number;
  metrics_count: number;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  last_seen_at: Date | null;
  heartbeat_at: Date | null;
  event_gaps_ms: number[] | null;
}

export const toSessionInfo = (r: SessionRow): SessionInfo => ({
  id: r.id,
  experimentId: r.experiment_id,
  status: r.status,
  config: r.config,
  host: r.host,
  currentEpoch: r.current_epoch,
  totalEpochs: r.total_epochs,
  logCount: r.log_count,
  metricsCount: r.metrics_count,
  lastSeq: r.last_seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  lastSeenAt: r.last_seen_at,
  heartbeatAt: r.heartbeat_at,
  stallAfterMs: stallAfterMs({ heartbeatAt: r.heartbeat_at, eventGapsMs: r.event_gaps_ms }, stallFloorMs()),
});

export interface LogRow {
  seq: number;
  level: LogLevel;
  message: string;
  source: string;
  timestamp: Date;
}

export const toLogEntry = (r: LogRow): LogEntry => ({
  seq: r.seq,
  level: r.level,
  message: r.message,
  source: r.source,
  timestamp: r.timestamp,
});

export interface MetricRow {
  seq: number;
  epoch: number;
  step: number | null;
  name: string;
  value: number;
  timestamp: Date;
}

/** Folds metric rows (one per name, ordered by seq) into one report per seq. */
export function toMetricReports(rows: MetricRow[]): MetricReport[] {
  const reports: MetricReport[] = [];
  let current: MetricReport | undefined;
  for (const row of rows) {
    if (!current || current.seq !== row.seq) {
      current = { seq: row.seq, epoch: row.epoch, step: row.step, timestamp: row.timestamp, values: {} };
      reports.push(current);
    }
    current.values[row.name] = row.value;
  }
  return reports;
}

export interface StatusRow {
  seq: number;
  from_status: SessionStatus | null;
  to_status: SessionStatus;
  message: string | null;
  current_epoch: number;
  total_epochs: number;
  timestamp: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

export const toStatusChange = (r: StatusRow): StatusChangeEntry => ({
  seq: r.seq,
  status: r.to_status,
  previousStatus: r.from_status,
  message: r.message,
  currentEpoch: r.current_epoch,
  totalEpochs: r.total_epochs,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  timestamp: r.timestamp,
});

/** The least silence that makes a run without heartbeats stalled (see shared/stall.ts). */
export const stallFloorMs = () => env().STALL_FLOOR_SECONDS * 1000;
