'use client';
/**
 * The run's log, virtualised (only the rows in view are in the DOM, so 100,000 lines scroll
 * smoothly). Newest at the bottom; it follows the tail until the user scrolls up, and loads
 * older lines when the top is reached. Level and text filters ask the server, and live
 * lines that match are appended.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LOG_LEVELS, type LogLevel } from '@/shared/vocabulary';
import type { LogEntry } from '@/shared/types';
import { api } from '@/trpc/react';
import { useFormat } from '../useFormat';
import { highlight, useDebounced } from './logText';
import type { RunFeed } from './runFeed';

const ROW = 20;
const PAGE = 1000;
/** Lines kept in memory; beyond it the oldest go (they can be loaded again by scrolling up). */
const KEEP = 200_000;

const LEVEL_CLS: Record<LogLevel, string> = {
  DEBUG: 'text-faint',
  INFO: 'text-sky-600 dark:text-sky-400',
  WARNING: 'text-amber-600 dark:text-amber-400',
  ERROR: 'text-red-600 dark:text-red-400',
  CRITICAL: 'text-white bg-red-600 rounded px-1',
};
const LINE_CLS: Record<LogLevel, string> = {
  DEBUG: 'text-muted',
  INFO: '',
  WARNING: 'bg-amber-500/5',
  ERROR: 'bg-red-500/8',
  CRITICAL: 'bg-red-500/15',
};

export function LogViewer({ experimentId, feed }: { experimentId: string; feed: RunFeed }) {
  const t = useTranslations('logs');
  const common = useTranslations('common');
  const fmt = useFormat();
  const [level, setLevel] = useState<LogLevel | null>(null);
  const [searchInput, setSearchInput] = useState('');
  const search = useDebounced(searchInput.trim(), 250);
  const [lines, setLines] = useState<LogEntry[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [liveCounts, setLiveCounts] = useState<Record<string, number>>({});
  const scroller = useRef<HTMLDivElement>(null);
  const followingRef = useRef(true);
  const utils = api.useUtils();

  const counts = api.log.countByLevel.useQuery({ experimentId }, { staleTime: Infinity });
  const filter = { experimentId, ...(level ? { level } : {}), ...(search ? { search } : {}) };
  const first = api.log.list.useQuery({ ...filter, limit: PAGE }, { staleTime: Infinity, gcTime: 0 });

  // A fresh load (or filter) replaces the lines, then live lines that match are appended.
  useEffect(() => {
    const data = first.data;
    if (!data) {
      // A new filter is loading: lines of the old one must not stand in for its answer.
      setLines([]);
      setHasMore(false);
      return;
    }
    const loadedThrough = data.items.at(-1)?.seq ?? 0;
    setLines(data.items);
    setHasMore(data.hasMore);
    followingRef.current = true;
    setFollowing(true);
    setUnseen(0);
    const needle = search.toLowerCase();
    const matches = (l: LogEntry) => (!level || l.level === level) && (!needle || l.message.toLowerCase().includes(needle));
    return feed.logs.follow(loadedThrough, (fresh) => {
      const add = fresh.filter((l) => l.seq > loadedThrough && matches(l));
      if (!add.length) return;
      setLines((old) => {
        const lastSeq = old.at(-1)?.seq ?? 0;
        const next = add.filter((l) => l.seq > lastSeq);
        const all = old.concat(next);
        return all.length > KEEP && followingRef.current ? all.slice(all.length - KEEP) : all;
      });
      if (!followingRef.current) setUnseen((n) => n + add.length);
    });
  }, [first.data, feed, level, search]);

  // Counts per level: the stored counts when loaded, plus what arrived since.
  useEffect(() => {
    if (!counts.data) return;
    const base = feed.logs.items.at(-1)?.seq ?? 0;
    return feed.logs.follow(base, (fresh) =>
      setLiveCounts((c) => {
        const next = { ...c };
        for (const l of fresh) next[l.level] = (next[l.level] ?? 0) + 1;
        return next;
      }),
    );
  }, [counts.data, feed]);
  const countOf = (lv: LogLevel) => (counts.data?.[lv] ?? 0) + (liveCounts[lv] ?? 0);
  const total = LOG_LEVELS.reduce((a, lv) => a + countOf(lv), 0);

  // The virtualiser keeps its own mutable state, which React's compiler cannot memoise; it is
  // used as its documentation shows.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 20,
  });

  // Following: every new line scrolls into view (the list's height is already updated).
  useEffect(() => {
    const el = scroller.current;
    if (followingRef.current && el && lines.length) el.scrollTop = el.scrollHeight;
  }, [lines.length]);

  const loadOlder = async () => {
    const oldest = lines[0];
    if (!oldest || !hasMore || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await utils.log.list.fetch({ ...filter, limit: PAGE, beforeSeq: oldest.seq });
      const el = scroller.current;
      setLines((old) => page.items.filter((l) => l.seq < (old[0]?.seq ?? Infinity)).concat(old));
      setHasMore(page.hasMore);
      // Keep the line the user was reading where it was.
      if (el) requestAnimationFrame(() => (el.scrollTop += page.items.length * ROW));
    } finally {
      setLoadingOlder(false);
    }
  };

  const lastTop = useRef(0);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    // Only the user scrolls up (appends never move scrollTop), so only that stops following;
    // reaching the bottom again resumes it.
    const scrolledUp = el.scrollTop < lastTop.current - 1;
    lastTop.current = el.scrollTop;
    if (atBottom && !followingRef.current) {
      followingRef.current = true;
      setFollowing(true);
      setUnseen(0);
    } else if (scrolledUp && !atBottom && followingRef.current) {
      followingRef.current = false;
      setFollowing(false);
    }
    if (el.scrollTop < ROW * 10) void loadOlder();
  };

  const jumpToLatest = () => {
    followingRef.current = true;
    setFollowing(true);
    setUnseen(0);
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  const [downloading, setDownloading] = useState(false);
  const download = async () => {
    setDownloading(true);
    try {
      // log.list pages backwards (the last N before a seq): gather pages, newest first.
      const pages: LogEntry[][] = [];
      let before: number | undefined;
      for (;;) {
        const page = await utils.log.list.fetch({ experimentId, limit: 10_000, ...(before ? { beforeSeq: before } : {}) });
        pages.unshift(page.items);
        before = page.items[0]?.seq;
        if (!page.hasMore || before === undefined) break;
      }
      const out = pages.flat().map((l) => `${l.timestamp.toISOString()} ${l.level.padEnd(8)} [${l.source}] ${l.message}`);
      const url = URL.createObjectURL(new Blob([out.join('\n') + '\n'], { type: 'text/plain' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${experimentId}.log`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setDownloading(false);
    }
  };

  const items = virtualizer.getVirtualItems();
  const needle = search;
  const levelButtons = useMemo(() => [null, ...LOG_LEVELS] as (LogLevel | null)[], []);

  return (
    <section
      aria-label={t('title')}
      className="flex h-full min-h-0 flex-col rounded-xl border border-line bg-panel"
      data-testid="log-viewer"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
        <h2 className="mr-1 text-sm font-semibold">{t('title')}</h2>
        <div role="group" aria-label={t('filterByLevel')} className="flex flex-wrap gap-1">
          {levelButtons.map((lv) => {
            const on = level === lv;
            return (
              <button
                key={lv ?? 'ALL'}
                type="button"
                aria-pressed={on}
                data-testid={`level-${lv ?? 'ALL'}`}
                onClick={() => setLevel(lv)}
                className={`rounded-md border px-2 py-0.5 text-xs transition-colors ${
                  on ? 'border-accent bg-accent/15 text-fg' : 'border-line text-muted hover:text-fg'
                }`}
              >
                {lv ?? t('all')}{' '}
                <span className="font-mono text-faint" data-testid={`count-${lv ?? 'ALL'}`}>
                  {fmt.count(lv ? countOf(lv) : total)}
                </span>
              </button>
            );
          })}
        </div>
        <input
          type="search"
          value={searchInput}
          onChange={(e) => setSearchInput(e.target.value)}
          placeholder={t('search')}
          aria-label={t('searchLabel')}
          className="ml-auto w-48 rounded-md border border-line bg-bg px-2 py-1 text-xs outline-none placeholder:text-faint focus:border-accent"
        />
        <button
          type="button"
          onClick={() => void download()}
          disabled={downloading}
          className="rounded-md border border-line px-2 py-1 text-xs text-muted hover:bg-raised hover:text-fg disabled:opacity-50"
        >
          {downloading ? t('preparing') : t('download')}
        </button>
      </div>
      <div className="relative min-h-0 flex-1">
        <div
          ref={scroller}
          onScroll={onScroll}
          className="h-full overflow-auto font-mono text-xs"
          data-testid="log-scroller"
          tabIndex={0}
          aria-label={t('lines')}
        >
          {loadingOlder && (
            <div className="sticky top-0 z-10 bg-panel/90 px-3 py-1 text-center text-faint">{t('loadingOlder')}</div>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((row) => {
              const l = lines[row.index]!;
              return (
                <div
                  key={l.seq}
                  data-testid="log-line"
                  data-level={l.level}
                  className={`absolute left-0 flex w-full items-center gap-2 whitespace-pre px-3 hover:bg-raised/60 ${LINE_CLS[l.level]}`}
                  style={{ top: row.start, height: ROW }}
                  title={l.message.includes('\n') ? l.message : undefined}
                >
                  <span className="shrink-0 text-faint">{fmt.logTime(l.timestamp)}</span>
                  <span className={`w-16 shrink-0 text-center text-[0.65rem] font-semibold ${LEVEL_CLS[l.level]}`}>
                    {l.level}
                  </span>
                  <span className="truncate" data-testid="log-message" translate="no">
                    {highlight(l.message.replaceAll('\n', ' ⏎ '), needle)}
                  </span>
                </div>
              );
            })}
          </div>
          {first.data && lines.length === 0 && (
            <div className="p-6 text-center text-muted">
              {first.isFetching ? common('loading') : level || search ? t('noMatch') : t('empty')}
            </div>
          )}
        </div>
        {!following && (
          <button
            type="button"
            onClick={jumpToLatest}
            className="absolute bottom-3 right-5 rounded-full bg-accent px-3 py-1.5 text-xs font-medium text-white shadow-lg"
          >
            {t('jump', { count: unseen })}
          </button>
        )}
      </div>
    </section>
  );
}
