'use client';
/**
 * A run's live events from `cursor` on. The subscription resumes by itself after a dropped
 * socket (the client resends the last event id it saw, and the server replays after it);
 * the seq check here also drops anything seen twice, so no event is applied twice.
 */
import { useEffect, useRef, useState } from 'react';
import type { SessionEvent } from '@/shared/types';
import { api } from '@/trpc/react';

export interface RunCursor {
  sessionId: number;
  seq: number;
}

/** What the stream delivered, before duplicates are dropped: the page can prove it had no holes. */
export class StreamStats {
  received = 0;
  duplicates = 0;
  gaps = 0;
  lastSeq: number;
  /** The seq the stream started after. */
  constructor(readonly from: number) {
    this.lastSeq = from;
  }

  record(seqs: number[], sameSession: boolean): void {
    for (const seq of seqs) {
      this.received++;
      if (sameSession && seq <= this.lastSeq) this.duplicates++;
      else if (seq !== this.lastSeq + 1) this.gaps++;
      this.lastSeq = Math.max(this.lastSeq, seq);
    }
  }
}

export function useRunEvents(
  experimentId: string,
  cursor: RunCursor | null,
  handlers: { onEvents: (events: SessionEvent[]) => void; onDeleted?: () => void },
) {
  // The starting point is fixed at mount: a new input would restart the stream.
  const [lastEventId] = useState(() => (cursor ? `${cursor.sessionId}:${cursor.seq}` : null));
  const seen = useRef<RunCursor | null>(cursor);
  // Mutable on purpose: updated per batch, read when the caller renders.
  const [stats] = useState(() => new StreamStats(cursor?.seq ?? 0));
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  api.session.events.useSubscription(
    { experimentId, lastEventId },
    {
      onData: ({ data }) => {
        if (data.kind === 'deleted') {
          seen.current = null;
          latest.current.onDeleted?.();
          return;
        }
        const at = seen.current;
        stats.record(
          data.events.map((e) => e.seq),
          at !== null && at.sessionId === data.sessionId,
        );
        const fresh = at && at.sessionId === data.sessionId ? data.events.filter((e) => e.seq > at.seq) : data.events;
        const last = fresh.at(-1);
        if (!last) return;
        seen.current = { sessionId: data.sessionId, seq: last.seq };
        latest.current.onEvents(fresh);
      },
    },
  );
  return stats;
}
