'use client';
/**
 * A list of sessions kept current by session.changes (created, updated, deleted), newest
 * first. The change stream is not resumable, so each time it (re)starts the list is read
 * once more: a run created between the page's render and the stream's start is not missed.
 */
import { useState } from 'react';
import type { ListSessionsInput } from '@/shared/schemas/session';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';

export function useSessionList(initial: SessionInfo[], query: ListSessionsInput, keep: (s: SessionInfo) => boolean = () => true) {
  const [sessions, setSessions] = useState(initial);
  const utils = api.useUtils();
  const upsert = (list: SessionInfo[], s: SessionInfo) => {
    const i = list.findIndex((x) => x.experimentId === s.experimentId);
    if (!keep(s)) return i < 0 ? list : list.filter((x) => x.experimentId !== s.experimentId);
    if (i < 0) return [s, ...list];
    // A newer state wins; an older read does not undo a change already applied.
    if (list[i]!.id === s.id && list[i]!.updatedAt > s.updatedAt) return list;
    const next = [...list];
    next[i] = s;
    return next;
  };
  api.session.changes.useSubscription(undefined, {
    onStarted: () => {
      void utils.session.list.fetch(query, { staleTime: 0 }).then(({ items }) => {
        setSessions((list) => {
          const fresh = new Set(items.map((s) => s.experimentId));
          // Gone from the server while the stream was down: deleted, or no longer kept.
          let next = list.filter((s) => fresh.has(s.experimentId) || !keep(s));
          for (const s of [...items].reverse()) next = upsert(next, s);
          return next;
        });
      });
    },
    onData: (change) => {
      setSessions((list) =>
        change.change === 'deleted' ? list.filter((s) => s.experimentId !== change.experimentId) : upsert(list, change.session),
      );
    },
  });
  return [sessions, setSessions] as const;
}
