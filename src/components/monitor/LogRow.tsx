'use client';
/** One log line as the virtualised list places it: time, level, message with the search marked. */
import type { LogEntry } from '@/shared/types';
import type { LogLevel } from '@/shared/vocabulary';
import { useFormat } from '../useFormat';
import { highlight } from './logText';
import { ROW } from './logWindow';

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

export function LogRow({ line: l, top, search }: { line: LogEntry; top: number; search: string }) {
  const fmt = useFormat();
  return (
    <div
      data-testid="log-line"
      data-level={l.level}
      className={`absolute left-0 flex w-full items-center gap-2 whitespace-pre px-3 hover:bg-raised/60 ${LINE_CLS[l.level]}`}
      style={{ top, height: ROW }}
      // A multi-line message shows on one row; the whole of it on hover.
      title={l.message.includes('\n') ? l.message : undefined}
    >
      <span className="shrink-0 text-faint">{fmt.logTime(l.timestamp)}</span>
      <span className={`w-16 shrink-0 text-center text-[0.65rem] font-semibold ${LEVEL_CLS[l.level]}`}>{l.level}</span>
      <span className="truncate" data-testid="log-message" translate="no">
        {highlight(l.message.replaceAll('\n', ' ⏎ '), search)}
      </span>
    </div>
  );
}
