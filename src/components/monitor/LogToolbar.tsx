'use client';
/** The log's toolbar: a level filter with each level's count, the text search and the download. */
import { useTranslations } from 'next-intl';
import type { Dispatch, SetStateAction } from 'react';
import { LOG_LEVELS, type LogLevel } from '@/shared/vocabulary';
import { SearchInput } from '../SearchInput';
import { useFormat } from '../useFormat';
import type { RunFeed } from './runFeed';
import { useLevelCounts } from './useLevelCounts';
import { useLogDownload } from './useLogDownload';

/** What the log is filtered to: a level (null for all) and the text typed in the search. */
export type LogFilter = { level: LogLevel | null; text: string };

const LEVEL_CHOICES: (LogLevel | null)[] = [null, ...LOG_LEVELS];

export function LogToolbar({
  experimentId,
  feed,
  filter: { level, text },
  onFilter,
}: {
  experimentId: string;
  feed: RunFeed;
  filter: LogFilter;
  onFilter: Dispatch<SetStateAction<LogFilter>>;
}) {
  const t = useTranslations('logs');
  const fmt = useFormat();
  const { countOf, total } = useLevelCounts(experimentId, feed);
  const { downloading, download } = useLogDownload(experimentId);

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
      <h2 className="mr-1 text-sm font-semibold">{t('title')}</h2>
      <div role="group" aria-label={t('filterByLevel')} className="flex flex-wrap gap-1">
        {LEVEL_CHOICES.map((lv) => {
          const on = level === lv;
          return (
            <button
              key={lv ?? 'ALL'}
              type="button"
              aria-pressed={on}
              data-testid={`level-${lv ?? 'ALL'}`}
              onClick={() => onFilter((f) => ({ ...f, level: lv }))}
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
      <SearchInput
        value={text}
        onChange={(value) => onFilter((f) => ({ ...f, text: value }))}
        placeholder={t('search')}
        label={t('searchLabel')}
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
  );
}
