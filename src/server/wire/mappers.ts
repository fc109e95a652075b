/**
 * The services' types in the older API's wire shapes: snake_case fields and ISO-8601 UTC
 * timestamps with Z. The REST answers and the plain socket frames both use these.
 */
import type { ControlCommand } from '../../shared/schemas/control';
import type { LogEntry, MetricReport, SessionInfo, StatusChangeEntry } from '../../shared/types';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface WireSession {
  experiment_id: string;
  status: string;
  config: Record<string, unknown>;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  current_epoch: number;
  total_epochs: number;
  log_count: number;
  metrics_count: number;
}

export const toWireSession = (s: SessionInfo): WireSession => ({
  experiment_id: s.experimentId,
  status: s.status,
  config: s.config,
  created_at: s.createdAt.toISOString(),
  started_at: iso(s.startedAt),
  ended_at: iso(s.endedAt),
  current_epoch: s.currentEpoch,
  total_epochs: s.totalEpochs,
  log_count: s.logCount,
  metrics_count: s.metricsCount,
});

/** The contract allows extra fields on a log entry; `seq` orders it within its session. */
export const toWireLog = (l: LogEntry) => ({
  level: l.level,
  message: l.message,
  source: l.source,
  timestamp: l.timestamp.toISOString(),
  seq: l.seq,
});

/** One row per report: epoch, timestamp, then the metrics themselves; `step` only when the trainer sent one. */
export const toWireMetrics = (m: MetricReport): Record<string, unknown> => ({
  epoch: m.epoch,
  timestamp: m.timestamp.toISOString(),
  ...(m.step !== null ? { step: m.step } : {}),
  ...m.values,
});

export const toWireStatusChange = (c: StatusChangeEntry) => ({
  status: c.status,
  current_epoch: c.currentEpoch,
  total_epochs: c.totalEpochs,
  started_at: iso(c.startedAt),
  ended_at: iso(c.endedAt),
  message: c.message,
});

export const toWireControl = (c: ControlCommand) => ({
  id: c.id,
  action: c.action,
  message: c.message,
  requested_at: c.requestedAt.toISOString(),
});
