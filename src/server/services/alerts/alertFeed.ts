/**
 * Alerts as they are raised, resolved or read, by any instance: one poll of the alert
 * table per instance every 500 ms (an indexed read of what changed), shared by every live
 * subscriber here. Polling the table, not the bus, keeps the feed to what is committed.
 */
import type { Logger } from '../../../lib/logger';
import type { AlertStore } from './alertStore';
import type { AlertInfo } from './alertTypes';

/** Read again this far back: a transaction that began earlier may commit after the last poll. */
const OVERLAP_MS = 5_000;

export type AlertListener = (alert: AlertInfo) => void;

export class AlertFeed {
  private readonly listeners = new Set<AlertListener>();
  /** What was handed out lately, by id, with its updatedAt, so the overlap yields nothing twice. */
  private readonly seen = new Map<number, number>();
  private cursor = new Date(Date.now() - OVERLAP_MS);
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly store: AlertStore,
    private readonly log: Logger,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }

  subscribe(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands out an alert this instance just wrote, without waiting for the next poll. */
  announce(alert: AlertInfo): void {
    if (this.seen.get(alert.id) === alert.updatedAt.getTime()) return;
    this.seen.set(alert.id, alert.updatedAt.getTime());
    for (const listener of this.listeners) listener(alert);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const since = new Date(this.cursor.getTime() - OVERLAP_MS);
      const changed = await this.store.changedSince(since);
      for (const alert of changed) {
        if (alert.updatedAt > this.cursor) this.cursor = alert.updatedAt;
        this.announce(alert);
      }
      for (const [id, at] of this.seen) if (at < since.getTime()) this.seen.delete(id);
    } catch (error) {
      this.log.warn('alert feed poll failed', { error: (error as Error).message });
    } finally {
      this.polling = false;
    }
  }
}
