/**
 * The live events of the open run, handed to the parts of the page that need them. Every
 * report and log line since the page opened is kept, so a chart or the log list that loads
 * later can take what arrived meanwhile (after the seq its own load went up to).
 */
import type { LogEntry, MetricReport, StatusChangeEntry } from '@/shared/types';

type Listener<T> = (items: T[]) => void;

class Channel<T extends { seq: number }> {
  readonly items: T[] = [];
  private listeners = new Set<Listener<T>>();

  push(items: T[]): void {
    if (!items.length) return;
    this.items.push(...items);
    for (const l of this.listeners) l(items);
  }

  /** Items after `seq` received so far, then every new batch. */
  follow(seq: number, listener: Listener<T>): () => void {
    const backlog = this.items.filter((i) => i.seq > seq);
    if (backlog.length) listener(backlog);
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  clear(): void {
    this.items.length = 0;
  }
}

export class RunFeed {
  readonly metrics = new Channel<MetricReport>();
  readonly logs = new Channel<LogEntry>();
  readonly statuses = new Channel<StatusChangeEntry>();
}
