'use client';
/** A list of sessions kept current by session.changes (created, updated, deleted), newest first. */
import { useState } from 'react';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';

export function useSessionList(initial: SessionInfo[], keep: (s: SessionInfo) => boolean = () => true) {
  const [sessions, setSessions] = useState(initial);
  api.session.changes.useSubscription(undefined, {
    onData: (change) => {
      setSessions((list) => {
        if (change.change === 'deleted') return list.filter((s) => s.experimentId !== change.experimentId);
        const s = change.session;
        const rest = list.filter((x) => x.experimentId !== s.experimentId);
        if (!keep(s)) return rest;
        const i = list.findIndex((x) => x.experimentId === s.experimentId);
        if (i < 0) return [s, ...rest];
        const next = [...list];
        next[i] = s;
        return next;
      });
    },
  });
  return [sessions, setSessions] as const;
}
