'use client';
/** Lines per level: the stored counts when loaded, plus what arrived live since. */
import { useEffect, useState } from 'react';
import type { LogEntry } from '@/shared/types';
import { LOG_LEVELS, type LogLevel } from '@/shared/vocabulary';
import { api } from '@/trpc/react';
import type { RunFeed } from './runFeed';

export type LevelCounts = Partial<Record<LogLevel, number>>;

/** `counts` with the given lines added, each to its level. */
export function addLevelCounts(counts: LevelCounts, lines: Pick<LogEntry, 'level'>[]): LevelCounts {
  const next = { ...counts };
  for (const l of lines) next[l.level] = (next[l.level] ?? 0) + 1;
  return next;
}

export function useLevelCounts(experimentId: string, feed: RunFeed) {
  const stored = api.log.countByLevel.useQuery({ experimentId }, { staleTime: Infinity });
  const [live, setLive] = useState<LevelCounts>({});
  useEffect(() => {
    if (!stored.data) return;
    const base = feed.logs.items.at(-1)?.seq ?? 0;
    return feed.logs.follow(base, (fresh) => setLive((c) => addLevelCounts(c, fresh)));
  }, [stored.data, feed]);
  const countOf = (lv: LogLevel) => (stored.data?.[lv] ?? 0) + (live[lv] ?? 0);
  const total = LOG_LEVELS.reduce((a, lv) => a + countOf(lv), 0);
  return { countOf, total };
}
