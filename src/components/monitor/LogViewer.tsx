'use client';
/**
 * The run's log, virtualised (only the rows in view are in the DOM, so 100,000 lines scroll
 * smoothly). Newest at the bottom; it follows the tail until the user scrolls up, and loads
 * older lines when the top is reached. Level and text filters ask the server, and live
 * lines that match are appended.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { LogRow } from './LogRow';
import { LogToolbar, type LogFilter } from './LogToolbar';
import { useDebounced } from './logText';
import { nearTop, ROW } from './logWindow';
import type { RunFeed } from './runFeed';
import { useFollowTail } from './useFollowTail';
import { useLogWindow } from './useLogWindow';

export function LogViewer({ experimentId, feed }: { experimentId: string; feed: RunFeed }) {
  const t = useTranslations('logs');
  const common = useTranslations('common');
  const [filter, setFilter] = useState<LogFilter>({ level: null, text: '' });
  const { level } = filter;
  const search = useDebounced(filter.text.trim(), 250);
  const tail = useFollowTail();
  const { scroller } = tail;
  const { lines, loadingOlder, loadOlder, loaded, fetching } = useLogWindow({
    experimentId,
    feed,
    level,
    search,
    tail,
  });

  // The virtualiser keeps its own mutable state, which React's compiler cannot memoise; it is
  // used as its documentation shows.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 20,
  });

  const onScroll = () => {
    tail.onScroll();
    if (scroller.current && nearTop(scroller.current.scrollTop)) void loadOlder();
  };

  return (
    <section
      aria-label={t('title')}
      className="flex h-full min-h-0 flex-col rounded-xl border border-line bg-panel"
      data-testid="log-viewer"
    >
      <LogToolbar experimentId={experimentId} feed={feed} filter={filter} onFilter={setFilter} />
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
            {virtualizer.getVirtualItems().map((row) => {
              const line = lines[row.index]!;
              return <LogRow key={line.seq} line={line} top={row.start} search={search} />;
            })}
          </div>
          {loaded && lines.length === 0 && (
            <div className="p-6 text-center text-muted">
              {fetching ? common('loading') : level || search ? t('noMatch') : t('empty')}
            </div>
          )}
        </div>
        {!tail.following && (
          <button
            type="button"
            onClick={tail.jumpToLatest}
            className="absolute bottom-3 right-5 rounded-full bg-accent px-3 py-1.5 text-xs font-medium text-white shadow-lg"
          >
            {t('jump', { count: tail.unseen })}
          </button>
        )}
      </div>
    </section>
  );
}
