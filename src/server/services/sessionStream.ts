/**
 * A session's event stream, resumable by event id: first every stored event after the
 * client's last id, then live ones, with no gap and no duplicate.
 *
 * The subscription to the bus starts before the replay, so nothing published meanwhile is
 * missed; events are numbered, so whatever the replay already yielded is dropped from the
 * live side, and a hole in the live side (a lost or reordered notification, a payload sent
 * by reference) is read back from the database.
 *
 * Event ids are "<sessionId>:<seq>". The session id part tells a stream that the session it
 * resumes was deleted and created again, which restarts numbering at 1.
 */
import type { SessionChange, SessionEvent, SessionStreamItem } from '../../shared/types';
import type { BusMessage, EventBus } from './eventBus';
import type { EventStore } from './eventStore';
import { liveItems } from './liveQueue';
import { SessionFeeds } from './sessionFeed';

export interface Cursor {
  sessionId: number;
  seq: number;
}

export const formatEventId = (c: Cursor) => `${c.sessionId}:${c.seq}`;

export function parseEventId(id: string | null | undefined): Cursor | null {
  const match = id ? /^(\d+):(\d+)$/.exec(id) : null;
  return match ? { sessionId: Number(match[1]), seq: Number(match[2]) } : null;
}

export interface TrackedItem {
  id: string;
  item: SessionStreamItem;
}

const REPLAY_PAGE = 2000;

export class SessionStreams {
  private readonly feeds: SessionFeeds;

  constructor(
    private readonly store: EventStore,
    private readonly bus: EventBus,
  ) {
    this.feeds = new SessionFeeds(bus);
  }

  async *events(experimentId: string, lastEventId: string | null | undefined, signal?: AbortSignal): AsyncGenerator<TrackedItem> {
    const { queue, detach } = this.feeds.attach(experimentId);
    let cursor = parseEventId(lastEventId);
    const emit = (c: Cursor, events: SessionEvent[]): TrackedItem => ({
      id: formatEventId(c),
      item: { kind: 'events', sessionId: c.sessionId, events },
    });
    try {
      // Stored events after the cursor, page by page.
      const catchUp = async function* (this: SessionStreams): AsyncGenerator<TrackedItem> {
        const head = await this.store.head(experimentId);
        if (!head) return;
        if (!cursor || cursor.sessionId !== head.sessionId) cursor = { sessionId: head.sessionId, seq: 0 };
        while (cursor.seq < head.lastSeq && !signal?.aborted) {
          const to = Math.min(cursor.seq + REPLAY_PAGE, head.lastSeq);
          const events = await this.store.readRange(cursor.sessionId, cursor.seq, to);
          cursor = { sessionId: cursor.sessionId, seq: to };
          if (events.length) yield emit(cursor, events);
        }
      }.bind(this);

      yield* catchUp();

      for (;;) {
        const entries = await queue.takeAll(signal);
        if (!entries) return;
        // A subscriber keeping up yields the feed's shared batch as it is (the fast path).
        const only = entries.length === 1 ? entries[0]! : null;
        if (only?.kind === 'batch' && cursor?.sessionId === only.batch.sessionId && cursor.seq === only.batch.fromSeq) {
          cursor = { sessionId: cursor.sessionId, seq: only.batch.toSeq };
          yield { id: only.batch.id, item: only.batch.item };
          continue;
        }
        const messages = entries.map((e): BusMessage =>
          e.kind === 'message'
            ? e.message
            : { kind: 'events', experimentId, sessionId: e.batch.sessionId, events: e.batch.item.events },
        );
        let batch: SessionEvent[] = [];
        const flush = function* (): Generator<TrackedItem> {
          if (batch.length && cursor) yield emit(cursor, batch);
          batch = [];
        };
        for (const message of messages) {
          if (message.kind === 'resync') {
            yield* flush();
            yield* catchUp();
          } else if (message.kind === 'session') {
            if (message.change === 'deleted') {
              yield* flush();
              cursor = null;
              yield { id: 'deleted', item: { kind: 'deleted' } };
            }
          } else if (message.kind === 'events' || message.kind === 'events-ref') {
            if (!cursor || cursor.sessionId !== message.sessionId) {
              yield* flush();
              cursor = { sessionId: message.sessionId, seq: 0 };
            }
            const from = message.kind === 'events' ? message.events[0]!.seq - 1 : message.fromSeq;
            const to = message.kind === 'events' ? message.events.at(-1)!.seq : message.toSeq;
            if (to <= cursor.seq) continue; // already yielded
            if (message.kind === 'events-ref' || from > cursor.seq) {
              batch.push(...(await this.store.readRange(cursor.sessionId, cursor.seq, to)));
            } else {
              const seen = cursor.seq;
              batch.push(...message.events.filter((e) => e.seq > seen));
            }
            cursor = { sessionId: cursor.sessionId, seq: to };
          }
        }
        yield* flush();
      }
    } finally {
      detach();
    }
  }

  /**
   * An id to pass as `lastEventId` for a stream that starts now (live-only, as the plain
   * sockets are): it yields only events stored after this call, or every event of a session
   * not created yet. Resuming from it keeps events()'s gap and order guarantees as they are.
   */
  async headEventId(experimentId: string): Promise<string> {
    const head = await this.store.head(experimentId);
    // No session has id 0, so a stream resuming from it starts at whichever session appears.
    return formatEventId(head ? { sessionId: head.sessionId, seq: head.lastSeq } : { sessionId: 0, seq: 0 });
  }

  /** Sessions created, changed (status, config) or deleted, as they happen. */
  changes(signal?: AbortSignal): AsyncGenerator<SessionChange> {
    return liveItems<SessionChange>(
      (push) =>
        this.bus.subscribeAllSessions((m) => {
          if (m.kind !== 'session') return;
          push(
            m.change === 'deleted'
              ? { change: 'deleted', experimentId: m.experimentId }
              : { change: m.change, session: m.session },
          );
        }),
      signal,
    );
  }
}
