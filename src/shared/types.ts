/** The shapes the API returns and streams, shared by the server, the web app and the SDK. */
import type { LogLevel, SessionStatus } from './schemas/common';

export interface SessionInfo {
  /** Database id; changes if a session is deleted and created again under the same experiment id. */
  id: number;
  experimentId: string;
  status: SessionStatus;
  config: Record<string, unknown>;
  host: string | null;
  currentEpoch: number;
  totalEpochs: number;
  logCount: number;
  metricsCount: number;
  /** Sequence number of the session's latest event. */
  lastSeq: number;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  lastSeenAt: Date | null;
  /** Last heartbeat; null for a trainer that sends none (judged by its own rhythm). */
  heartbeatAt: Date | null;
  /** Silence after which this run, while running, counts as stalled (shared/stall.ts). */
  stallAfterMs: number;
}

export interface LogEntry {
  seq: number;
  level: LogLevel;
  message: string;
  source: string;
  timestamp: Date;
}

export interface MetricReport {
  seq: number;
  epoch: number;
  step: number | null;
  timestamp: Date;
  values: Record<string, number>;
}

export interface StatusChangeEntry {
  seq: number;
  status: SessionStatus;
  previousStatus: SessionStatus | null;
  message: string | null;
  currentEpoch: number;
  totalEpochs: number;
  /** The session's start and end times as of this change. */
  startedAt: Date | null;
  endedAt: Date | null;
  timestamp: Date;
}

/** One stored event of a session, numbered by `seq` (1, 2, 3... per session). */
export type SessionEvent =
  | { type: 'log'; seq: number; data: LogEntry }
  | { type: 'metrics'; seq: number; data: MetricReport }
  | { type: 'status'; seq: number; data: StatusChangeEntry };

/** What a session's event stream yields. */
export type SessionStreamItem =
  | { kind: 'events'; sessionId: number; events: SessionEvent[] }
  /** The session was deleted; a later session under the same id starts over at seq 1. */
  | { kind: 'deleted' };

export type SessionChange = { change: 'created' | 'updated'; session: SessionInfo } | { change: 'deleted'; experimentId: string };
