'use client';
/**
 * The lines the log shows: the newest page of the filtered log, live lines that match appended
 * to it, and older pages put in front when the reader scrolls to the top.
 */
import { useEffect, useState } from 'react';
import type { LogEntry } from '@/shared/types';
import type { LogLevel } from '@/shared/vocabulary';
import { api, type RouterOutputs } from '@/trpc/react';
import { appendLive, logMatcher, PAGE, prependOlder } from './logWindow';
import type { RunFeed } from './runFeed';
import type { FollowTail } from './useFollowTail';

type FirstPage = RouterOutputs['log']['list'] | undefined;
type Window = { from: FirstPage; lines: LogEntry[]; hasMore: boolean };

/** The window a first page opens; none while a new filter loads (the old one's lines must not stand in for its answer). */
const windowOf = (page: FirstPage): Window => ({ from: page, lines: page?.items ?? [], hasMore: page?.hasMore ?? false });

export function useLogWindow({
  experimentId,
  feed,
  level,
  search,
  tail: { isFollowing, resume, addUnseen, scrollToEnd, keepPlace },
}: {
  experimentId: string;
  feed: RunFeed;
  level: LogLevel | null;
  search: string;
  tail: Pick<FollowTail, 'isFollowing' | 'resume' | 'addUnseen' | 'scrollToEnd' | 'keepPlace'>;
}) {
  const utils = api.useUtils();
  const filter = { experimentId, ...(level ? { level } : {}), ...(search ? { search } : {}) };
  const first = api.log.list.useQuery({ ...filter, limit: PAGE }, { staleTime: Infinity, gcTime: 0 });
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [held, setHeld] = useState(() => windowOf(first.data));
  // A fresh load (or filter) replaces the lines, in the same render.
  let win = held;
  if (held.from !== first.data) {
    win = windowOf(first.data);
    setHeld(win);
  }
  const { lines, hasMore } = win;

  // Live lines that match are appended to a fresh load, which is followed from its end.
  useEffect(() => {
    const data = first.data;
    if (!data) return;
    const loadedThrough = data.items.at(-1)?.seq ?? 0;
    resume();
    const matches = logMatcher(level, search);
    return feed.logs.follow(loadedThrough, (fresh) => {
      const add = fresh.filter((l) => l.seq > loadedThrough && matches(l));
      if (!add.length) return;
      setHeld((w) => ({ ...w, lines: appendLive(w.lines, add, isFollowing()) }));
      addUnseen(add.length);
    });
  }, [first.data, feed, level, search, resume, isFollowing, addUnseen]);

  // Following: every new line scrolls into view (the list's height is already updated).
  useEffect(() => {
    if (lines.length) scrollToEnd();
  }, [lines.length, scrollToEnd]);

  const loadOlder = async () => {
    const oldest = lines[0];
    if (!oldest || !hasMore || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await utils.log.list.fetch({ ...filter, limit: PAGE, beforeSeq: oldest.seq });
      setHeld((w) => ({ ...w, lines: prependOlder(w.lines, page.items), hasMore: page.hasMore }));
      keepPlace(page.items.length);
    } finally {
      setLoadingOlder(false);
    }
  };

  return { lines, loadingOlder, loadOlder, loaded: first.data !== undefined, fetching: first.isFetching };
}
