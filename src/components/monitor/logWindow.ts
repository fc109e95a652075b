/**
 * The arithmetic of the log's window: which lines it holds (the newest, capped, with older
 * pages put in front as the reader scrolls up) and when a scroll stops or resumes following.
 */
import type { LogEntry } from '@/shared/types';
import type { LogLevel } from '@/shared/vocabulary';

/** A row's height in px: the virtualiser's estimate and the unit of every scroll distance. */
export const ROW = 20;
/** Lines per page asked of the server. */
export const PAGE = 1000;
/** Lines kept in memory; beyond it the oldest go (they can be loaded again by scrolling up). */
export const KEEP = 200_000;

/** Whether a live line belongs to the filtered view (the search ignores case, as the server's does). */
export function logMatcher(level: LogLevel | null, search: string): (l: LogEntry) => boolean {
  const needle = search.toLowerCase();
  return (l) => (!level || l.level === level) && (!needle || l.message.toLowerCase().includes(needle));
}

/**
 * Live lines after the ones held, skipping any already there. Only while following does the
 * window drop its oldest past `keep`: a reader scrolled up keeps the lines under their eyes.
 */
export function appendLive(old: LogEntry[], fresh: LogEntry[], following: boolean, keep = KEEP): LogEntry[] {
  const lastSeq = old.at(-1)?.seq ?? 0;
  const all = old.concat(fresh.filter((l) => l.seq > lastSeq));
  return all.length > keep && following ? all.slice(all.length - keep) : all;
}

/** An older page in front of the lines held (lines it shares with them are skipped). */
export function prependOlder(old: LogEntry[], page: LogEntry[]): LogEntry[] {
  const firstSeq = old[0]?.seq ?? Infinity;
  return page.filter((l) => l.seq < firstSeq).concat(old);
}

/** Close enough to the top that the page before should be loaded. */
export const nearTop = (scrollTop: number) => scrollTop < ROW * 10;

/**
 * What a scroll does to following the tail. Only the reader scrolls up (appends never move
 * scrollTop), so only that stops following; reaching the bottom again resumes it.
 */
export function tailAfterScroll(
  el: { scrollTop: number; scrollHeight: number; clientHeight: number },
  lastTop: number,
  following: boolean,
): 'resume' | 'pause' | null {
  const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
  const scrolledUp = el.scrollTop < lastTop - 1;
  if (atBottom && !following) return 'resume';
  if (scrolledUp && !atBottom && following) return 'pause';
  return null;
}
