/**
 * The series `metric.series` returns, put together from what its statements read: the
 * latest points, the buckets read from points, and the blocks merged into buckets.
 */
import type { MetricSeries } from '../../shared/metricSeries';
import type { BlockAgg, SeriesPlan } from './metricSeriesPlan';
import type { BucketRow, SeriesEndRow } from './metricSeriesSql';

/**
 * The series of `names` that have points, in that order. Each starts from its latest point;
 * buckets come from `buckets` (point-read series) or `plan.fromBlocks`, where a partial
 * block takes its recomputed aggregate from `partialAggs`, or drops out when none is in range.
 */
export function mergeSeries(
  names: string[],
  ends: SeriesEndRow[],
  buckets: BucketRow[],
  plan: Pick<SeriesPlan, 'fromBlocks' | 'partial'>,
  partialAggs: BlockAgg[],
): MetricSeries[] {
  const byName = new Map<string, MetricSeries>();
  for (const r of ends) {
    byName.set(r.name, {
      name: r.name,
      x: [],
      seq: [],
      y: [],
      min: [],
      max: [],
      n: [],
      nonFinite: [],
      last:
        r.seq === null ? null : { x: r.x, value: r.value!, epoch: r.epoch!, step: r.step, seq: r.seq, timestamp: r.timestamp! },
    });
  }
  for (const r of buckets) {
    const s = byName.get(r.name)!;
    s.x.push(r.x);
    s.seq.push(r.seq);
    s.y.push(r.y);
    s.min.push(r.lo);
    s.max.push(r.hi);
    s.n.push(r.n);
    if (r.nf_x !== null) s.nonFinite.push({ x: r.nf_x, value: r.nf_v!, count: r.nf });
  }
  const recomputed = new Map<string, Map<number, BlockAgg | null>>();
  for (const p of plan.partial) {
    const m = recomputed.get(p.name) ?? new Map<number, BlockAgg | null>();
    m.set(p.block, null);
    recomputed.set(p.name, m);
  }
  for (const a of partialAggs) recomputed.get(a.name)!.set(a.block, a);
  for (const [name, { blocks, width }] of plan.fromBlocks) {
    const m = recomputed.get(name);
    const aggs = blocks.flatMap((b) => {
      const agg = m?.has(b.block) ? m.get(b.block)! : b;
      return agg ? [agg] : [];
    });
    mergeBlocks(byName.get(name)!, aggs, width);
  }
  return names.flatMap((n) => byName.get(n) ?? []);
}

/** Appends the buckets of `aggs` (in block order) to `s`, `width` blocks to a bucket. */
function mergeBlocks(s: MetricSeries, aggs: BlockAgg[], width: number): void {
  let i = 0;
  while (i < aggs.length) {
    const bucket = Math.floor(aggs[i]!.block / width);
    let n = 0;
    let xSum = 0;
    let seq = 0;
    let finiteN = 0;
    let vSum = 0;
    let lo: number | null = null;
    let hi: number | null = null;
    let nf = 0;
    let marker: { x: number; value: number } | null = null;
    for (; i < aggs.length && Math.floor(aggs[i]!.block / width) === bucket; i++) {
      const a = aggs[i]!;
      n += a.n;
      xSum += a.x_sum;
      seq = Math.max(seq, a.last_seq);
      nf += a.nf;
      if (a.v_sum !== null) {
        finiteN += a.n - a.nf;
        vSum += a.v_sum;
      }
      if (a.v_min !== null && (lo === null || a.v_min < lo)) lo = a.v_min;
      if (a.v_max !== null && (hi === null || a.v_max > hi)) hi = a.v_max;
      if (marker === null && a.nf > 0) marker = { x: a.nf_x!, value: a.nf_value! };
    }
    s.x.push(xSum / n);
    s.seq.push(seq);
    s.y.push(finiteN > 0 ? vSum / finiteN : null);
    s.min.push(lo);
    s.max.push(hi);
    s.n.push(n);
    if (marker) s.nonFinite.push({ ...marker, count: nf });
  }
}
