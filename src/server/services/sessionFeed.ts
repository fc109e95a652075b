/**
 * One feed per watched session in this process, shared by all of its live subscribers.
 *
 * The feed gathers the session's events for a short window and hands every subscriber the
 * same batch object, so work done per batch (serialising it, see api/sharedSerialization.ts)
 * is done once, not once per subscriber. The window adapts: a stream that was quiet for a
 * window flushes at once (a lone event is not delayed), a busy one flushes at most once per
 * window, which grows with the number of subscribers (messages sent = batches x subscribers).
 */
import type { SessionEvent } from '../../shared/types';
import type { BusMessage, EventBus } from './eventBus';
import { LiveQueue } from './liveQueue';

/** A batch of consecutive events, with the tracked id and payload every subscriber yields. */
export interface SharedBatch {
  sessionId: number;
  /** The seq just before the first event. */
  fromSeq: number;
  toSeq: number;
  id: string;
  item: { kind: 'events'; sessionId: number; events: SessionEvent[] };
}

export type FeedEntry = { kind: 'batch'; batch: SharedBatch } | { kind: 'message'; message: BusMessage };

const MIN_WINDOW_MS = 5;
const MAX_WINDOW_MS = 50;

class Feed {
  readonly queues = new Set<LiveQueue<FeedEntry>>();
  private pending: SessionEvent[] = [];
  private pendingSession: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private readonly unsubscribe: () => void;

  constructor(experimentId: string, bus: EventBus) {
    this.unsubscribe = bus.subscribeSession(experimentId, (m) => this.onMessage(m));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
  }

  private onMessage(message: BusMessage): void {
    if (message.kind === 'events') {
      if (this.pendingSession !== null && this.pendingSession !== message.sessionId) this.flush();
      this.pendingSession = message.sessionId;
      this.pending.push(...message.events);
      this.schedule();
    } else {
      this.flush(); // keep order with what was gathered so far
      this.broadcast({ kind: 'message', message });
    }
  }

  private windowMs(): number {
    return Math.min(MAX_WINDOW_MS, Math.max(MIN_WINDOW_MS, this.queues.size / 4));
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.windowMs() - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const sessionId = this.pendingSession;
    if (this.pending.length === 0 || sessionId === null) return;
    // Publishers may announce concurrent commits out of order; seqs put them back.
    const events = this.pending.sort((a, b) => a.seq - b.seq);
    this.pending = [];
    this.lastFlush = Date.now();
    const first = events[0]!.seq;
    const last = events.at(-1)!.seq;
    if (last - first + 1 !== events.length) {
      // A hole (an event announced elsewhere or later): subscribers read it back themselves.
      this.broadcast({ kind: 'message', message: { kind: 'events', experimentId: '', sessionId, events } });
      return;
    }
    this.broadcast({
      kind: 'batch',
      batch: {
        sessionId,
        fromSeq: first - 1,
        toSeq: last,
        id: `${sessionId}:${last}`,
        item: { kind: 'events', sessionId, events },
      },
    });
  }

  private broadcast(entry: FeedEntry): void {
    for (const queue of this.queues) queue.push(entry);
  }
}

export class SessionFeeds {
  private readonly feeds = new Map<string, Feed>();

  constructor(private readonly bus: EventBus) {}

  /** Starts receiving a session's live entries; call detach() when done. */
  attach(experimentId: string): { queue: LiveQueue<FeedEntry>; detach: () => void } {
    let feed = this.feeds.get(experimentId);
    if (!feed) this.feeds.set(experimentId, (feed = new Feed(experimentId, this.bus)));
    const queue = new LiveQueue<FeedEntry>();
    feed.queues.add(queue);
    const detach = () => {
      queue.end();
      feed.queues.delete(queue);
      if (feed.queues.size === 0 && this.feeds.get(experimentId) === feed) {
        feed.close();
        this.feeds.delete(experimentId);
      }
    };
    return { queue, detach };
  }
}
