/**
 * One training run as the trainer sees it. Logging and metric calls only queue; a single
 * sender drains the queue in call order, one request at a time, through `session.ingest`.
 * Every event carries this run's producer id and a number that only grows, so the server
 * stores a retried batch once however often the network fails mid-request.
 */
import { randomUUID } from 'node:crypto';
import { backoffDelay, sleep } from './backoff.js';
import { captureConsole, rawWrite } from './consoleCapture.js';
import { subscribeControls, type ControlSubscription } from './controls.js';
import { EventQueue, type QueuedEvent } from './eventQueue.js';
import { callProcedure, CallError, type CallOptions } from './http.js';
import {
  MonitorError,
  type ControlCommand,
  type LogLevel,
  type LogOptions,
  type MetricsReport,
  type RejectedEvent,
  type RunEvent,
  type RunStats,
  type RunStatus,
  type StartRunOptions,
} from './types.js';

/** The options a run works with, defaults filled in. */
export interface RunSettings {
  call: CallOptions;
  apiKey?: string;
  batchSize: number;
  flushIntervalMs: number;
  maxBatchBytes: number;
  queueCapacity: number;
  whenFull: 'block' | 'drop-debug';
  retryInitialMs: number;
  retryMaxMs: number;
  heartbeatMs: number;
  onError: (error: MonitorError) => void;
}

/** The server takes at most this many events per request. */
const SERVER_BATCH_LIMIT = 5000;

function estimateBytes(event: RunEvent): number {
  if (event.type === 'log') return 120 + event.message.length + event.source.length;
  let bytes = 120;
  for (const name in event.values) bytes += name.length + 28;
  return bytes;
}

/** "values.loss: must be a number" from zod's path below the event. */
const reasonOf = (path: (string | number)[], message: string) => (path.length ? `${path.join('.')}: ${message}` : message);

export class Run {
  /** Names this run's events on the server, which stores each (producer, number) once. */
  readonly producerId = randomUUID();
  readonly experimentId: string;
  private seq = 0;
  private readonly queue: EventQueue;
  private readonly counters = { delivered: 0, rejected: 0, retries: 0 };
  /** Drops already announced in a WARNING line (the queue counts the rest). */
  private droppedReported = 0;
  private wake: (() => void) | null = null;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly controlListeners = new Set<(command: ControlCommand) => void>();
  private controls: ControlSubscription | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopCapture: (() => void) | null = null;
  private unreachableSince: number | null = null;
  private closed = false;
  private finishing: Promise<void> | null = null;
  /** Aborted to stop waiting out retries (exit with a deadline). */
  private readonly abandon = new AbortController();
  readonly done: Promise<void>;

  constructor(
    private readonly settings: RunSettings,
    private readonly options: StartRunOptions,
    private readonly onClosed: (run: Run) => void,
  ) {
    this.experimentId = options.experimentId;
    this.queue = new EventQueue(settings.queueCapacity, settings.whenFull);
    this.done = this.pump();
  }

  /** Creates (or reattaches to) the session on the server; resolves once it exists. */
  start(): Promise<void> {
    const created = this.enqueueOp(async () => {
      await this.call('session.create', {
        experimentId: this.experimentId,
        config: this.options.config,
        totalEpochs: this.options.totalEpochs,
        host: this.options.host,
      });
    });
    this.heartbeat = setInterval(() => this.beat(), this.settings.heartbeatMs);
    this.heartbeat.unref();
    if (this.options.captureConsole) {
      this.stopCapture = captureConsole((stream, line) =>
        this.log(stream === 'stdout' ? 'INFO' : 'ERROR', line, { source: stream }),
      );
    }
    return created;
  }

  // --- Logging: returns at once. -----------------------------------------------------------

  /**
   * Queues a log line. Returns false when the queue is at capacity under the 'block'
   * policy (the line is kept; await `whenWritable()` or use `logAsync` to stay bounded).
   */
  log(level: LogLevel, message: string, options: LogOptions = {}): boolean {
    return this.push({
      type: 'log',
      level,
      message,
      source: options.source ?? 'trainer',
      timestamp: options.timestamp ?? new Date(),
      producerSeq: 0,
    });
  }
  debug(message: string, options?: LogOptions): boolean {
    return this.log('DEBUG', message, options);
  }
  info(message: string, options?: LogOptions): boolean {
    return this.log('INFO', message, options);
  }
  warn(message: string, options?: LogOptions): boolean {
    return this.log('WARNING', message, options);
  }
  error(message: string, options?: LogOptions): boolean {
    return this.log('ERROR', message, options);
  }
  critical(message: string, options?: LogOptions): boolean {
    return this.log('CRITICAL', message, options);
  }

  /** Queues a metric report: `{ epoch, step, values: { train_loss: 0.41 } }`. */
  metrics(report: MetricsReport): boolean {
    return this.push({
      type: 'metrics',
      epoch: report.epoch,
      step: report.step ?? null,
      values: report.values,
      timestamp: report.timestamp ?? new Date(),
      producerSeq: 0,
    });
  }

  /** Like log(), but first waits while the queue is full: nothing is dropped, memory stays bounded. */
  async logAsync(level: LogLevel, message: string, options?: LogOptions): Promise<void> {
    await this.whenWritable();
    this.log(level, message, options);
  }

  /** Like metrics(), but first waits while the queue is full. */
  async metricsAsync(report: MetricsReport): Promise<void> {
    await this.whenWritable();
    this.metrics(report);
  }

  /** Resolves when the queue has room. */
  whenWritable(): Promise<void> {
    if (!this.queue.full || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  // --- Status, control, lifecycle. ---------------------------------------------------------

  /** Records a status change after everything queued before it; resolves once stored. */
  status(status: RunStatus, message?: string): Promise<void> {
    return this.enqueueOp(async () => {
      await this.call('session.setStatus', { experimentId: this.experimentId, status, message });
    });
  }

  /**
   * Calls `listener` with each pause, resume or stop requested in the web app (pending ones
   * first). The request is acknowledged when the run changes status accordingly.
   */
  onControl(listener: (command: ControlCommand) => void): () => void {
    this.controlListeners.add(listener);
    this.controls ??= subscribeControls({
      baseUrl: this.settings.call.baseUrl,
      apiKey: this.settings.apiKey,
      experimentId: this.experimentId,
      onCommand: (command) => this.controlListeners.forEach((l) => l(command)),
      onError: (error) => this.settings.onError(new MonitorError('unreachable', `control stream: ${error.message}`)),
    });
    return () => this.controlListeners.delete(listener);
  }

  /** Resolves once everything queued so far is delivered (or refused and reported). */
  flush(): Promise<void> {
    return this.enqueueOp(async () => {});
  }

  /** Flushes, records the final status, and stops the heartbeat, control stream and capture. */
  finish(status: RunStatus = 'completed', message?: string): Promise<void> {
    this.finishing ??= (async () => {
      this.stopCapture?.();
      this.stopCapture = null;
      try {
        await this.status(status, message);
      } finally {
        this.close();
      }
      await this.done;
    })();
    return this.finishing;
  }

  /** The run ends with an error: a CRITICAL line with the stack, then status failed. */
  fail(error: unknown): Promise<void> {
    return this.finish('failed', this.recordError(error));
  }

  /** fail(), giving up after `ms` (at exit). */
  failWithin(error: unknown, ms: number): Promise<boolean> {
    return this.flushWithin(ms, 'failed', this.recordError(error));
  }

  private recordError(error: unknown): string {
    const err = error instanceof Error ? error : new Error(String(error));
    this.critical(err.stack ?? `${err.name}: ${err.message}`, { source: 'uncaught' });
    return `${err.name}: ${err.message}`;
  }

  /** Flushes for at most `ms`; then stops retrying and reports what was left undelivered. */
  async flushWithin(ms: number, finalStatus?: RunStatus, message?: string): Promise<boolean> {
    const flushed = finalStatus ? this.finish(finalStatus, message) : this.flush();
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      flushed.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    if (!inTime) {
      const lost = this.queue.events;
      this.abandon.abort();
      this.close();
      this.settings.onError(
        new MonitorError('lost', `${lost} events of ${this.experimentId} could not be delivered before exit`, { lost }),
      );
    }
    return inTime;
  }

  get finished(): boolean {
    return this.closed;
  }

  stats(): RunStats {
    let dropped = this.droppedReported;
    for (const n of this.queue.dropped.values()) dropped += n;
    return { queued: this.queue.events, dropped, ...this.counters };
  }

  // --- The sender. -------------------------------------------------------------------------

  private push(event: RunEvent): boolean {
    if (this.closed) return false;
    event.producerSeq = ++this.seq;
    const within = this.queue.push(event, estimateBytes(event));
    if (this.queue.events >= this.settings.batchSize || this.queue.events === 1) this.wake?.();
    return within;
  }

  private enqueueOp(work: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new MonitorError('request-failed', `run ${this.experimentId} is finished`));
    return new Promise((resolve, reject) => {
      this.queue.pushOp(() => work().then(resolve, reject));
      this.wake?.();
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.controls?.close();
    this.stopCapture?.();
    this.roomWaiters.splice(0).forEach((r) => r());
    this.wake?.();
    this.onClosed(this);
  }

  private async pump(): Promise<void> {
    for (;;) {
      const head = this.queue.peek();
      if (!head) {
        if (this.closed) return;
        await this.idle(null);
        continue;
      }
      if (this.abandon.signal.aborted) return;
      if (head.kind === 'op') {
        await this.queue
          .shiftOp()
          .run()
          .catch(() => {});
        continue;
      }
      const due = head.queuedAt + this.settings.flushIntervalMs;
      if (this.queue.events < this.settings.batchSize && this.queue.ops === 0 && !this.closed && Date.now() < due) {
        await this.idle(due);
        continue;
      }
      const batch = this.queue.takeEvents(Math.min(this.settings.batchSize, SERVER_BATCH_LIMIT), this.settings.maxBatchBytes);
      const deliveredBefore = this.counters.delivered;
      try {
        await this.deliver(batch);
      } catch (error) {
        // Only an abandoned exit flush or a fault gets here; flushWithin reports the former.
        if (!this.abandon.signal.aborted) this.reject(batch, `not delivered: ${(error as Error).message}`, null);
      }
      this.queue.inFlight -= batch.length;
      if (this.counters.delivered > deliveredBefore) this.reportDrops();
      this.roomWaiters.splice(0).forEach((r) => r());
    }
  }

  /** Waits for new work or until `until` (ms since epoch). */
  private idle(until: number | null): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.wake = () => {
        this.wake = null;
        clearTimeout(timer);
        resolve();
      };
      if (until !== null) {
        timer = setTimeout(() => this.wake?.(), Math.max(0, until - Date.now()));
        timer.unref();
      }
    });
  }

  /**
   * Sends events in order. A 400 names the bad events by zod's path: they are reported and
   * the rest sent again. Without usable paths, or on 413, the batch is halved, first half
   * first, so numbers still reach the server in increasing order.
   */
  private async deliver(batch: QueuedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.call('session.ingest', {
        experimentId: this.experimentId,
        producer: { id: this.producerId },
        events: batch.map((e) => e.event),
      });
      this.counters.delivered += batch.length;
      return;
    } catch (error) {
      if (!(error instanceof CallError) || error.retryable) throw error;
      const bad = new Map<number, string>();
      if (error.status === 400) {
        for (const issue of error.issues) {
          const [field, index, ...rest] = issue.path;
          if (field === 'events' && typeof index === 'number' && batch[index]) {
            bad.set(index, [bad.get(index), reasonOf(rest, issue.message)].filter(Boolean).join('; '));
          }
        }
      }
      if (bad.size > 0) {
        this.reject(
          [...bad].map(([i]) => batch[i]!),
          [...bad.values()].join('; '),
          error.status,
          [...bad.values()],
        );
        await this.deliver(batch.filter((_, i) => !bad.has(i)));
      } else if ((error.status === 400 || error.status === 413) && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.deliver(batch.slice(0, half));
        await this.deliver(batch.slice(half));
      } else {
        this.reject(batch, error.message, error.status);
      }
    }
  }

  private reject(events: QueuedEvent[], reason: string, status: number | null, reasons?: string[]): void {
    if (events.length === 0) return;
    this.counters.rejected += events.length;
    const rejected: RejectedEvent[] = events.map((e, i) => ({ event: e.event, reason: reasons?.[i] ?? reason }));
    this.settings.onError(
      new MonitorError('rejected', `${events.length} event(s) of ${this.experimentId} refused: ${reason}`, { status, rejected }),
    );
  }

  /** After drops, once the server takes events again, one WARNING line says what was lost. */
  private reportDrops(): void {
    const report = this.queue.takeDropReport();
    if (!report) return;
    this.droppedReported += report.total;
    this.warn(`monitor queue was full; dropped ${report.text} event(s) while the server was unreachable or slow`, {
      source: 'monitor',
    });
    this.settings.onError(new MonitorError('dropped', `${this.experimentId}: dropped ${report.text} event(s)`));
  }

  /** Calls a procedure, retrying what may succeed later with backoff, or after Retry-After. */
  private async call(path: string, input: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await callProcedure(this.settings.call, path, input);
        this.unreachableSince = null;
        return result;
      } catch (error) {
        if (!(error instanceof CallError) || !error.retryable || this.abandon.signal.aborted) {
          if (path !== 'session.ingest') {
            this.settings.onError(
              new MonitorError('request-failed', (error as Error).message, { status: (error as CallError).status }),
            );
          }
          throw error;
        }
        if (this.unreachableSince === null) {
          this.unreachableSince = Date.now();
          this.settings.onError(new MonitorError('unreachable', `${error.message}; retrying`, { status: error.status }));
        }
        this.counters.retries++;
        const delay = error.retryAfterMs ?? backoffDelay(attempt, this.settings.retryInitialMs, this.settings.retryMaxMs);
        await sleep(Math.min(delay, 60_000), this.abandon.signal);
      }
    }
  }

  private beat(): void {
    if (this.unreachableSince !== null) return;
    callProcedure(this.settings.call, 'session.heartbeat', { experimentId: this.experimentId }).catch(() => {
      // The sender notices and reports an unreachable server; a missed beat needs no retry.
    });
  }
}

/** Writes the SDK's own message without going through console capture. */
export function printDiagnostic(message: string): void {
  rawWrite.stderr(`[cv-studio-monitor] ${message}\n`);
}
