/**
 * Group commit per session. Every write to a session updates its row (that is how events
 * are numbered in commit order), so writes to one session take turns on that row's lock for
 * the length of a commit. Instead of queueing in PostgreSQL one request at a time, writes
 * that arrive while one is in flight wait here and go together in the next statement: one
 * commit, one lock hand-off, many requests. Each caller still hears back only after the
 * statement holding its events committed.
 */
import { LIMITS } from '../../shared/limits';

/** A group stops growing at the largest batch a door takes, so no statement outgrows one request's. */
const MAX_EVENTS_PER_STATEMENT = LIMITS.eventsPerBatch;

interface Waiting<E, R> {
  events: E[];
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<E, R> {
  private readonly queues = new Map<string, Waiting<E, R>[]>();

  /**
   * @param write stores the events of several callers in one statement
   * @param split hands each caller its share of the result (`offset`, `count` into the events)
   */
  constructor(
    private readonly write: (key: string, events: E[]) => Promise<R>,
    private readonly split: (result: R, offset: number, count: number) => R,
    /**
     * How long the first caller of an idle key waits for others before its statement
     * starts (default 0: at once). For writers whose callers arrive steadily rather than
     * while a statement is in flight (hosts spread over the second), a short wait is
     * what makes a group at all.
     */
    private readonly lingerMs = 0,
  ) {}

  submit(key: string, events: E[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ events, resolve, reject });
        return;
      }
      this.queues.set(key, [{ events, resolve, reject }]);
      if (this.lingerMs > 0) setTimeout(() => void this.drain(key), this.lingerMs);
      else void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const group: Waiting<E, R>[] = [];
      let size = 0;
      while (queue.length > 0 && (group.length === 0 || size + queue[0]!.events.length <= MAX_EVENTS_PER_STATEMENT)) {
        const next = queue.shift()!;
        group.push(next);
        size += next.events.length;
      }
      try {
        const result = await this.write(
          key,
          group.flatMap((w) => w.events),
        );
        let offset = 0;
        for (const w of group) {
          w.resolve(this.split(result, offset, w.events.length));
          offset += w.events.length;
        }
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.queues.delete(key);
  }
}
