/**
 * A host's history over any range, read from the tier that fits the bucket width: raw rows
 * for buckets under a minute, minute rollups under 10 minutes, 10-minute rollups under an
 * hour, hour rollups beyond (and always a coarser tier once the finer one no longer holds
 * the range; see tierFor). The part of the
 * range a tier has not rolled up yet is read from the tier below it, so the right end is
 * as fresh as the raw rows.
 */
import type pg from 'pg';
import type { SystemHistory, SystemSeries } from '../../../shared/systemSample';
import { seriesKey } from './hostColumns';
import { tenMinuteKeep, type Retention, type Watermarks } from './hostRollups';
import { bucketQuery, TIERS, type TierName } from './hostTiers';

export interface HistoryQuery {
  hostId: number;
  from: number;
  to: number;
  maxPoints: number;
  /** Values per sample (the host's vector length) and its GPUs' ids, in reported order. */
  length: number;
  gpuIds: number[];
  /** Tier watermarks (see HostRollups.watermarks). */
  marks: Watermarks;
}

interface Acc {
  c: number;
  n: number;
  s: number;
  x: number;
}

/** Finest first; each row width divides the next. */
const ORDER: TierName[] = ['raw', '1m', '10m', '1h'];

/**
 * The coarsest tier, from `finest` up, whose rows divide `bucket(step)` (the bucket width on a
 * tier of that step) and whose retention still holds `from`: aligned buckets that are whole
 * rows of a coarser tier have the same values there, from fewer rows.
 */
function tierFor(finest: TierName, wanted: number, from: number, retention: Retention, now: number) {
  const kept: Record<TierName, number> = {
    raw: retention.rawMs,
    '1m': retention.minuteMs,
    '10m': tenMinuteKeep(retention),
    '1h': Infinity,
  };
  const bucket = (step: number) => Math.max(step, Math.ceil(wanted / step) * step);
  let tier = ORDER.indexOf(finest);
  // A tier no longer holding the range gives way to the next.
  while (tier < ORDER.length - 1 && from < now - kept[ORDER[tier]!]) tier++;
  const bucketMs = bucket(TIERS[ORDER[tier]!].stepMs);
  for (let next = tier + 1; next < ORDER.length; next++) {
    const t = ORDER[next]!;
    if (bucketMs % TIERS[t].stepMs !== 0 || from < now - kept[t]) break;
    tier = next;
  }
  return { tier: ORDER[tier]!, bucketMs };
}

/**
 * The tier to read and the bucket width: whole multiples of the tier's row width, from no
 * finer a tier than `floor` (the fleet's charts start at minutes).
 */
export function pickTier(
  from: number,
  to: number,
  maxPoints: number,
  retention: Retention,
  now: number,
  floor: TierName = 'raw',
) {
  // Aligned buckets: a range of length L touches at most floor(L / w) + 2 of them, so
  // w > L / (maxPoints - 1) keeps the count within maxPoints.
  const span = Math.max(0, to - from);
  const wanted = span / (maxPoints - 1) + 1;
  const allowed = ORDER.slice(ORDER.indexOf(floor));
  const finest = allowed.filter((t) => t === floor || wanted > TIERS[t].stepMs).at(-1)!;
  return tierFor(finest, wanted, from, retention, now);
}

export interface Segment {
  tier: TierName;
  from: number;
  to: number;
}

/**
 * [from, to) of each tier read: the chosen one up to its watermark, then the finer ones.
 * A range that starts inside a 10-minute or hour row reads that part from the minutes (and
 * raw rows past their watermark), so its first bucket holds what the minute tier would give,
 * not nothing. Raw rows are read from `rawFloor` on at the earliest.
 */
export function tierSegments(tier: TierName, from: number, to: number, marks: Watermarks, rawFloor = -Infinity): Segment[] {
  const all: TierName[] = ['1h', '10m', '1m', 'raw'];
  const walk = (order: TierName[], a: number, b: number) => {
    const out: Segment[] = [];
    let start = a;
    for (const t of order) {
      const mark = t === 'raw' ? Infinity : (marks[t] ?? -Infinity);
      const end = Math.min(b, mark);
      const first = t === 'raw' ? Math.max(start, rawFloor) : start;
      if (end > first) out.push({ tier: t, from: first, to: end });
      start = Math.max(start, end);
    }
    return out;
  };
  if (tier !== '10m' && tier !== '1h') return walk(all.slice(all.indexOf(tier)), from, to);
  const step = TIERS[tier].stepMs;
  const whole = Math.min(Math.ceil(from / step) * step, to);
  return [...walk(['1m', 'raw'], from, whole), ...walk(all.slice(all.indexOf(tier)), whole, to)];
}

export async function readHistory(
  pool: pg.Pool,
  q: HistoryQuery,
  tier: TierName,
  bucketMs: number,
): Promise<SystemHistory['series']> {
  // [from, 1h mark) from hours, [.., 10m mark) from 10 minutes, [.., 1m mark) from
  // minutes, the rest from raw rows.
  const segments = tierSegments(tier, q.from, q.to + 1, q.marks);
  const results = await Promise.all(
    segments.map((seg) =>
      pool.query<Record<string, string | number | null>>(bucketQuery(seg.tier, q.length), [q.hostId, bucketMs, seg.from, seg.to]),
    ),
  );
  // A bucket cut by a segment boundary is read twice: merged here.
  const buckets = new Map<number, Acc[]>();
  for (const { rows } of results) {
    for (const row of rows) {
      const t = Number(row.t);
      let accs = buckets.get(t);
      if (!accs) buckets.set(t, (accs = Array.from({ length: q.length }, () => ({ c: 0, n: Infinity, s: 0, x: -Infinity }))));
      for (let i = 0; i < q.length; i++) {
        const c = Number(row[`c${i}`] ?? 0);
        if (c === 0) continue;
        const a = accs[i]!;
        a.c += c;
        a.s += Number(row[`s${i}`]);
        a.n = Math.min(a.n, Number(row[`n${i}`]));
        a.x = Math.max(a.x, Number(row[`x${i}`]));
      }
    }
  }
  const series: Record<string, SystemSeries> = {};
  for (const t of [...buckets.keys()].sort((a, b) => a - b)) {
    const accs = buckets.get(t)!;
    accs.forEach((a, i) => {
      if (a.c === 0) return;
      const s = (series[seriesKey(i, q.gpuIds)] ??= { t: [], avg: [], min: [], max: [] });
      s.t.push(t);
      s.avg.push(a.s / a.c);
      s.min.push(a.n);
      s.max.push(a.x);
    });
  }
  return series;
}
