/**
 * The SDK's public types. They mirror the server's schemas (src/shared/schemas) without
 * importing them, so the compiled SDK needs nothing of the server; wire.typecheck.ts makes
 * the compiler check that they still match.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'stopped';
export type ControlAction = 'pause' | 'resume' | 'stop';

/** A request from the web app to this run's trainer. Acknowledge it by changing status. */
export interface ControlCommand {
  id: number;
  action: ControlAction;
  message: string | null;
  requestedAt: Date;
}

export interface MetricsReport {
  epoch: number;
  step?: number | null;
  /** Any numbers; NaN and ±Infinity (a diverging loss) are kept as such. */
  values: Record<string, number>;
  /** When it happened; defaults to the moment of the call. */
  timestamp?: Date;
}

export interface LogOptions {
  /** Where the line came from; defaults to "trainer". */
  source?: string;
  timestamp?: Date;
}

/** What happens when the queue is full (the server unreachable for long, or too slow). */
export type FullPolicy =
  /** Nothing is dropped: the awaitable calls (logAsync, metricsAsync) wait for room. */
  | 'block'
  /** The oldest DEBUG lines go first, then INFO lines, then the oldest events; all counted. */
  | 'drop-debug';

export interface MonitorOptions {
  /** The server, e.g. http://gpu-box:8000. */
  url: string;
  /** Sent as `Authorization: Bearer` and as the socket's connection params. */
  apiKey?: string;
  /** Most events per request (the server takes up to 5000). Default 1000. */
  batchSize?: number;
  /** Queued events are sent at the latest after this long. Default 200 ms. */
  flushIntervalMs?: number;
  /** Estimated request size above which a batch is cut. Default 1 MiB. */
  maxBatchBytes?: number;
  /** Most events waiting in memory. Default 100,000. */
  queueCapacity?: number;
  /** Default 'drop-debug'. */
  whenFull?: FullPolicy;
  /** Retry delays: exponential from initialDelayMs to maxDelayMs, with jitter. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** A request that takes longer is abandoned and retried. Default 30 s. */
  requestTimeoutMs?: number;
  /** Default 5 s. */
  heartbeatMs?: number;
  /** How long `startRun` waits for an unreachable server before returning anyway. Default 10 s. */
  startTimeoutMs?: number;
  /** On exit, signal or crash: how long to keep flushing before giving up. Default 10 s. */
  exitFlushTimeoutMs?: number;
  /** Flush on beforeExit, SIGINT and SIGTERM; mark the run failed on an uncaught exception. Default true. */
  handleProcessExit?: boolean;
  /** Problems the SDK does not throw: rejected events, an unreachable server. Default: printed once. */
  onError?: (error: MonitorError) => void;
}

export interface StartRunOptions {
  experimentId: string;
  config?: Record<string, unknown>;
  totalEpochs?: number;
  /** Defaults to this machine's hostname. */
  host?: string;
  /** stdout and stderr lines become INFO and ERROR log lines (still printed). */
  captureConsole?: boolean;
}

/** An event as sent: what the caller gave, numbered by the run. */
export type RunEvent =
  | { type: 'log'; level: LogLevel; message: string; source: string; timestamp: Date; producerSeq: number }
  | {
      type: 'metrics';
      epoch: number;
      step: number | null;
      values: Record<string, number>;
      timestamp: Date;
      producerSeq: number;
    };

export interface RejectedEvent {
  event: RunEvent;
  /** What the server said about it, e.g. "values: must name at least one metric". */
  reason: string;
}

export type MonitorErrorKind =
  /** The server refused events (4xx); they are not retried. `rejected` lists them. */
  | 'rejected'
  /** The server cannot be reached or answers 5xx; the SDK keeps retrying. */
  | 'unreachable'
  /** A status change or run creation was refused. */
  | 'request-failed'
  /** Events were dropped because the queue was full (see `whenFull`). */
  | 'dropped'
  /** At exit the queue could not be flushed in time; `lost` events were not delivered. */
  | 'lost';

export class MonitorError extends Error {
  constructor(
    readonly kind: MonitorErrorKind,
    message: string,
    readonly details: { status?: number | null; rejected?: RejectedEvent[]; lost?: number } = {},
  ) {
    super(message);
    this.name = 'MonitorError';
  }
}

export interface RunStats {
  /** Events waiting to be sent. */
  queued: number;
  /** Events the server has confirmed. */
  delivered: number;
  /** Events refused by the server (reported through onError). */
  rejected: number;
  /** Events dropped because the queue was full. */
  dropped: number;
  /** Requests repeated after a failure. */
  retries: number;
}
