/** The whole log as a text file: every page gathered oldest first, a line per entry. */
import type { LogEntry } from '@/shared/types';

type Page = { items: LogEntry[]; hasMore: boolean };

/** log.list pages backwards (the last N before a seq): pages are gathered newest first, then put in order. */
export async function gatherLog(fetchPage: (beforeSeq: number | undefined) => Promise<Page>): Promise<LogEntry[]> {
  const pages: LogEntry[][] = [];
  let before: number | undefined;
  for (;;) {
    const page = await fetchPage(before);
    pages.unshift(page.items);
    before = page.items[0]?.seq;
    if (!page.hasMore || before === undefined) break;
  }
  return pages.flat();
}

/** One line per entry: ISO time, level padded to a column, source, message. */
export function logFileText(entries: LogEntry[]): string {
  return entries.map((l) => `${l.timestamp.toISOString()} ${l.level.padEnd(8)} [${l.source}] ${l.message}`).join('\n') + '\n';
}
