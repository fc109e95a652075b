import type { SessionEvent, SessionStreamItem } from '../../src/shared/types';

/** Collects a subscription's events and lets a test await a condition on them. */
export class EventCollector {
  readonly events: SessionEvent[] = [];
  readonly ids: string[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  onData = (tracked: { id: string; data: SessionStreamItem }) => {
    this.ids.push(tracked.id);
    if (tracked.data.kind === 'events') this.events.push(...tracked.data.events);
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  };

  /** Resolves once `check` holds; fails the test after `timeoutMs`. */
  until(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; have ${this.events.length} events`)),
        timeoutMs,
      );
      this.waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  seqs(): number[] {
    return this.events.map((e) => e.seq);
  }
}
