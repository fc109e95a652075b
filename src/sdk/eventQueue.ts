/**
 * The run's outbox: events and ordered operations (status changes, flush barriers) in call
 * order, bounded in events. Taking from the head and dropping by level are both O(1)
 * amortised: dropped entries are marked and skipped rather than spliced out, and each
 * droppable level keeps its own FIFO of candidates.
 */
import type { FullPolicy, LogLevel, RunEvent } from './types.js';

export interface QueuedEvent {
  kind: 'event';
  event: RunEvent;
  bytes: number;
  queuedAt: number;
  /** Taken for sending or dropped: no longer in the queue. */
  gone: boolean;
}

export interface QueuedOp {
  kind: 'op';
  run: () => Promise<void>;
}

type Entry = QueuedEvent | QueuedOp;

/** Levels dropped first when the queue is full, in order. */
const DROP_ORDER = ['DEBUG', 'INFO'] as const satisfies readonly LogLevel[];

class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  push(item: T): void {
    this.items.push(item);
  }
  /** Removes leading items that fail `keep`, returns the first that passes. */
  peek(keep: (item: T) => boolean): T | undefined {
    while (this.head < this.items.length && !keep(this.items[this.head]!)) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.items[this.head];
  }
  find<U extends T>(match: (item: T) => item is U): U | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (match(item)) return item;
    }
    return undefined;
  }
  shift(): T | undefined {
    const item = this.items[this.head];
    if (item !== undefined) this.head++;
    return item;
  }
  get length(): number {
    return this.items.length - this.head;
  }
}

export class EventQueue {
  private readonly entries = new Fifo<Entry>();
  private readonly byLevel = new Map<LogLevel, Fifo<QueuedEvent>>(DROP_ORDER.map((l) => [l, new Fifo<QueuedEvent>()]));
  /** Events in the queue (not taken, not dropped). */
  events = 0;
  /** Events taken for sending and not yet settled: they count against the capacity too. */
  inFlight = 0;
  ops = 0;
  readonly dropped = new Map<string, number>();

  constructor(
    readonly capacity: number,
    readonly policy: FullPolicy,
  ) {}

  get full(): boolean {
    return this.events + this.inFlight >= this.capacity;
  }

  /** Queues an event; false when the queue was over capacity (under 'block', it is kept anyway). */
  push(event: RunEvent, bytes: number): boolean {
    const entry: QueuedEvent = { kind: 'event', event, bytes, queuedAt: Date.now(), gone: false };
    this.entries.push(entry);
    if (event.type === 'log') this.byLevel.get(event.level)?.push(entry);
    this.events++;
    if (this.events + this.inFlight <= this.capacity) return true;
    if (this.policy === 'block') return false;
    this.dropOne();
    return true;
  }

  pushOp(run: () => Promise<void>): void {
    this.entries.push({ kind: 'op', run });
    this.ops++;
  }

  /** The first entry still queued. */
  peek(): Entry | undefined {
    return this.entries.peek((e) => e.kind === 'op' || !e.gone);
  }

  shiftOp(): QueuedOp {
    const entry = this.peek();
    if (entry?.kind !== 'op') throw new Error('no operation at the head of the queue');
    this.entries.shift();
    this.ops--;
    return entry;
  }

  /** Takes the events at the head, up to the next operation, within both limits. */
  takeEvents(maxCount: number, maxBytes: number): QueuedEvent[] {
    const batch: QueuedEvent[] = [];
    let bytes = 0;
    for (let entry = this.peek(); entry?.kind === 'event'; entry = this.peek()) {
      if (batch.length === maxCount || (batch.length > 0 && bytes + entry.bytes > maxBytes)) break;
      this.entries.shift();
      entry.gone = true;
      this.events--;
      this.inFlight++;
      bytes += entry.bytes;
      batch.push(entry);
    }
    return batch;
  }

  private dropOne(): void {
    let victim: QueuedEvent | undefined;
    for (const level of DROP_ORDER) {
      victim = this.byLevel.get(level)!.peek((e) => !e.gone);
      if (victim) break;
    }
    if (!victim) {
      // Only warnings, errors and metrics are left: the oldest event goes.
      victim = this.oldestEvent();
    }
    if (!victim) return;
    victim.gone = true;
    this.events--;
    const key = victim.event.type === 'log' ? victim.event.level : 'metrics';
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
  }

  private oldestEvent(): QueuedEvent | undefined {
    // Rare (an operation at the head and no DEBUG/INFO lines left): a scan is fine.
    return this.entries.find((e): e is QueuedEvent => e.kind === 'event' && !e.gone);
  }

  /** Dropped counts since the last call, e.g. "1200 DEBUG, 3 metrics"; null if none. */
  takeDropReport(): { text: string; total: number } | null {
    if (this.dropped.size === 0) return null;
    let total = 0;
    const parts = [...this.dropped].map(([key, n]) => {
      total += n;
      return `${n} ${key}`;
    });
    this.dropped.clear();
    return { text: parts.join(', '), total };
  }
}
