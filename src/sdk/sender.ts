/**
 * A run's sender: one loop drains the run's queue in call order, one request at a time,
 * batching events up to `batchSize` or `flushIntervalMs`, retrying what may succeed later
 * with backoff. Every event carries the run's producer id and a number that only grows, so
 * the server stores a retried batch once however often the network fails mid-request.
 */
import { backoffDelay, sleep } from './backoff.js';
import { EventQueue, type QueuedEvent } from './eventQueue.js';
import { callProcedure, CallError } from './http.js';
import { LIMITS } from '../shared/limits.js';
import type { RunSettings } from './runSettings.js';
import { MonitorError, type RejectedEvent, type RunEvent } from './types.js';

function estimateBytes(event: RunEvent): number {
  if (event.type === 'log') return 120 + event.message.length + event.source.length;
  let bytes = 120;
  for (const name in event.values) bytes += name.length + 28;
  return bytes;
}

/** "values.loss: must be a number" from zod's path below the event. */
const reasonOf = (path: (string | number)[], message: string) => (path.length ? `${path.join('.')}: ${message}` : message);

export class Sender {
  readonly queue: EventQueue;
  readonly counters = { delivered: 0, rejected: 0, retries: 0 };
  /** Settles once the queue is drained after close(), or at once when retries are abandoned. */
  readonly done: Promise<void>;
  private seq = 0;
  private wake: (() => void) | null = null;
  private readonly roomWaiters: (() => void)[] = [];
  private unreachableSince: number | null = null;
  private closedFlag = false;
  /** Aborted to stop waiting out retries (exit with a deadline). */
  private readonly abandon = new AbortController();

  /** @param onDelivered called after a batch got through, as drops can then be told of. */
  constructor(
    private readonly settings: RunSettings,
    private readonly experimentId: string,
    private readonly producerId: string,
    private readonly onDelivered: () => void,
  ) {
    this.queue = new EventQueue(settings.queueCapacity, settings.whenFull);
    this.done = this.pump();
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Numbers and queues an event; false as EventQueue.push says, or once closed. */
  push(event: RunEvent): boolean {
    if (this.closedFlag) return false;
    event.producerSeq = ++this.seq;
    const within = this.queue.push(event, estimateBytes(event));
    if (this.queue.events >= this.settings.batchSize || this.queue.events === 1) this.wake?.();
    return within;
  }

  /** Runs `work` once everything queued before it is sent; settles as it does. */
  enqueue(work: () => Promise<void>): Promise<void> {
    if (this.closedFlag) return Promise.reject(new MonitorError('request-failed', `run ${this.experimentId} is finished`));
    return new Promise((resolve, reject) => {
      this.queue.pushOp(() => work().then(resolve, reject));
      this.wake?.();
    });
  }

  /** Resolves when the queue has room. */
  whenRoom(): Promise<void> {
    if (!this.queue.full || this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Takes nothing more; what is queued is still sent. */
  close(): void {
    this.closedFlag = true;
    this.roomWaiters.splice(0).forEach((r) => r());
    this.wake?.();
  }

  /** Stops retrying and sending (exit with a deadline). */
  abandonRetries(): void {
    this.abandon.abort();
  }

  /** Calls a procedure, retrying what may succeed later with backoff, or after Retry-After. */
  async call(path: string, input: unknown): Promise<unknown> {
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

  /** One heartbeat, skipped while the server is unreachable. */
  beat(): void {
    if (this.unreachableSince !== null) return;
    callProcedure(this.settings.call, 'session.heartbeat', { experimentId: this.experimentId }).catch(() => {
      // The sender notices and reports an unreachable server; a missed beat needs no retry.
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const head = this.queue.peek();
      if (!head) {
        if (this.closedFlag) return;
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
      if (this.queue.events < this.settings.batchSize && this.queue.ops === 0 && !this.closedFlag && Date.now() < due) {
        await this.idle(due);
        continue;
      }
      const batch = this.queue.takeEvents(Math.min(this.settings.batchSize, LIMITS.eventsPerBatch), this.settings.maxBatchBytes);
      const deliveredBefore = this.counters.delivered;
      try {
        await this.deliver(batch);
      } catch (error) {
        // Only an abandoned exit flush or a fault gets here; flushWithin reports the former.
        if (!this.abandon.signal.aborted) this.reject(batch, `not delivered: ${(error as Error).message}`, null);
      }
      this.queue.inFlight -= batch.length;
      if (this.counters.delivered > deliveredBefore) this.onDelivered();
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
}
