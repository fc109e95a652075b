/**
 * One training run as the trainer sees it. Logging and metric calls only queue; the run's
 * sender (sender.ts) delivers them in call order, with status changes and flushes between.
 */
import { randomUUID } from 'node:crypto';
import { captureConsole, rawWrite } from './consoleCapture.js';
import { subscribeControls, type ControlSubscription } from './controls.js';
import type { RunSettings } from './runSettings.js';
import { Sender } from './sender.js';
import {
  MonitorError,
  type ControlCommand,
  type LogLevel,
  type LogOptions,
  type MetricsReport,
  type RunStats,
  type RunStatus,
  type StartRunOptions,
} from './types.js';

export class Run {
  /** Names this run's events on the server, which stores each (producer, number) once. */
  readonly producerId = randomUUID();
  readonly experimentId: string;
  private readonly sender: Sender;
  /** Drops already announced in a WARNING line (the queue counts the rest). */
  private droppedReported = 0;
  private readonly controlListeners = new Set<(command: ControlCommand) => void>();
  private controls: ControlSubscription | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private stopCapture: (() => void) | null = null;
  private finishing: Promise<void> | null = null;
  /** Settles once everything queued is sent after the run finished. */
  readonly done: Promise<void>;

  constructor(
    private readonly settings: RunSettings,
    private readonly options: StartRunOptions,
    private readonly onClosed: (run: Run) => void,
  ) {
    this.experimentId = options.experimentId;
    this.sender = new Sender(settings, this.experimentId, this.producerId, () => this.reportDrops());
    this.done = this.sender.done;
  }

  /** Creates (or reattaches to) the session on the server; resolves once it exists. */
  start(): Promise<void> {
    const created = this.sender.enqueue(async () => {
      await this.sender.call('session.create', {
        experimentId: this.experimentId,
        config: this.options.config,
        totalEpochs: this.options.totalEpochs,
        host: this.options.host,
      });
    });
    this.heartbeat = setInterval(() => this.sender.beat(), this.settings.heartbeatMs);
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
    return this.sender.push({
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
    return this.sender.push({
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
    return this.sender.whenRoom();
  }

  // --- Status, control, lifecycle. ---------------------------------------------------------

  /** Records a status change after everything queued before it; resolves once stored. */
  status(status: RunStatus, message?: string): Promise<void> {
    return this.sender.enqueue(async () => {
      await this.sender.call('session.setStatus', { experimentId: this.experimentId, status, message });
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
    return this.sender.enqueue(async () => {});
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
      const lost = this.sender.queue.events;
      this.sender.abandonRetries();
      this.close();
      this.settings.onError(
        new MonitorError('lost', `${lost} events of ${this.experimentId} could not be delivered before exit`, { lost }),
      );
    }
    return inTime;
  }

  get finished(): boolean {
    return this.sender.closed;
  }

  stats(): RunStats {
    let dropped = this.droppedReported;
    for (const n of this.sender.queue.dropped.values()) dropped += n;
    return { queued: this.sender.queue.events, dropped, ...this.sender.counters };
  }

  private close(): void {
    if (this.sender.closed) return;
    this.sender.close();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.controls?.close();
    this.stopCapture?.();
    this.onClosed(this);
  }

  /** After drops, once the server takes events again, one WARNING line says what was lost. */
  private reportDrops(): void {
    const report = this.sender.queue.takeDropReport();
    if (!report) return;
    this.droppedReported += report.total;
    this.warn(`monitor queue was full; dropped ${report.text} event(s) while the server was unreachable or slow`, {
      source: 'monitor',
    });
    this.settings.onError(new MonitorError('dropped', `${this.experimentId}: dropped ${report.text} event(s)`));
  }
}

/** Writes the SDK's own message without going through console capture. */
export function printDiagnostic(message: string): void {
  rawWrite.stderr(`[cv-studio-monitor] ${message}\n`);
}
