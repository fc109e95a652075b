import { describe, expect, it } from 'vitest';
import type { LogEntry } from '@/shared/types';
import { gatherLog, logFileText } from './logFile';
import { appendLive, logMatcher, nearTop, prependOlder, ROW, tailAfterScroll } from './logWindow';
import { addLevelCounts } from './useLevelCounts';

const line = (seq: number, level: LogEntry['level'] = 'INFO', message = `line ${seq}`) =>
  ({ seq, level, message, source: 'stdout', timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)) }) as LogEntry;
const seqs = (lines: LogEntry[]) => lines.map((l) => l.seq);

describe('the filtered view', () => {
  it('takes a live line of the level asked for, whose message holds the search in any case', () => {
    const matches = logMatcher('WARNING', 'Disk');
    expect(matches(line(1, 'WARNING', 'disk almost full'))).toBe(true);
    expect(matches(line(2, 'ERROR', 'disk almost full'))).toBe(false);
    expect(matches(line(3, 'WARNING', 'memory low'))).toBe(false);
    expect(logMatcher(null, '')(line(4, 'DEBUG'))).toBe(true);
  });
});

describe('live lines', () => {
  it('go after the lines held, once each', () => {
    expect(seqs(appendLive([line(1), line(2)], [line(2), line(3)], true))).toEqual([1, 2, 3]);
    expect(seqs(appendLive([], [line(5)], false))).toEqual([5]);
  });

  it('push the oldest out past the cap only while the tail is followed', () => {
    const held = [line(1), line(2), line(3)];
    expect(seqs(appendLive(held, [line(4), line(5)], true, 4))).toEqual([2, 3, 4, 5]);
    expect(seqs(appendLive(held, [line(4), line(5)], false, 4))).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('older pages', () => {
  it('go in front of the lines held, without the lines both have', () => {
    expect(seqs(prependOlder([line(5), line(6)], [line(3), line(4), line(5)]))).toEqual([3, 4, 5, 6]);
    expect(seqs(prependOlder([], [line(1)]))).toEqual([1]);
  });

  it('load within ten rows of the top', () => {
    expect(nearTop(ROW * 10 - 1)).toBe(true);
    expect(nearTop(ROW * 10)).toBe(false);
  });
});

describe('following the tail', () => {
  const el = (scrollTop: number) => ({ scrollTop, scrollHeight: 10_000, clientHeight: 500 });
  const bottom = 10_000 - 500;

  it('stops when the reader scrolls up, away from the bottom', () => {
    expect(tailAfterScroll(el(bottom - 300), bottom, true)).toBe('pause');
    // An append moves nothing; a scroll down is not a reason to stop.
    expect(tailAfterScroll(el(bottom - 300), bottom - 300, true)).toBeNull();
    expect(tailAfterScroll(el(bottom - 300), bottom - 600, true)).toBeNull();
  });

  it('resumes at the bottom, within two rows of it', () => {
    expect(tailAfterScroll(el(bottom - ROW * 2 + 1), 0, false)).toBe('resume');
    expect(tailAfterScroll(el(bottom - ROW * 2), 0, false)).toBeNull();
    expect(tailAfterScroll(el(bottom), bottom, true)).toBeNull();
  });
});

describe('level counts', () => {
  it('add each live line to its level', () => {
    expect(addLevelCounts({ INFO: 2 }, [line(1, 'INFO'), line(2, 'ERROR'), line(3, 'ERROR')])).toEqual({ INFO: 3, ERROR: 2 });
  });
});

describe('the downloaded log', () => {
  it('gathers every page, oldest first, asking for each page before the last one', async () => {
    const all = [1, 2, 3, 4, 5].map((s) => line(s));
    const asked: (number | undefined)[] = [];
    const entries = await gatherLog(async (before) => {
      asked.push(before);
      const older = all.filter((l) => before === undefined || l.seq < before);
      return { items: older.slice(-2), hasMore: older.length > 2 };
    });
    expect(seqs(entries)).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 4, 2]);
  });

  it('is a line per entry: time, level in a column, source, message', () => {
    expect(logFileText([line(1, 'INFO', 'hello'), line(2, 'ERROR', 'oops')])).toBe(
      '2026-01-01T00:00:01.000Z INFO     [stdout] hello\n2026-01-01T00:00:02.000Z ERROR    [stdout] oops\n',
    );
  });
});
