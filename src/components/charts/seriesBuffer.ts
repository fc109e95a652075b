/**
 * One metric's points as the chart draws them: bucket means (the line), bucket min and max
 * (the band around it, so thinned spikes stay visible), NaN/±Inf markers, and the EMA of
 * the line. Arrays are mutated in place so a live point costs no copy of the series.
 */
import type { MetricSeries } from '@/shared/metricSeries';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { MetricReport } from '@/shared/types';

export interface LinePoint {
  x: number;
  y: number | null;
  min: number | null;
  max: number | null;
  n: number;
  seq: number;
}
export interface XY {
  x: number;
  y: number | null;
}
export interface Marker {
  x: number;
  y: number;
  value: number;
  count: number;
}

export function reportX(r: MetricReport, axis: SeriesAxis): number | null {
  if (axis === 'step') return r.step;
  if (axis === 'epoch') return r.epoch;
  return r.timestamp.getTime();
}

export class SeriesBuffer {
  readonly line: LinePoint[] = [];
  readonly lo: XY[] = [];
  readonly hi: XY[] = [];
  readonly ema: XY[] = [];
  readonly markers: Marker[] = [];
  /** Points appended live since the load. */
  appended = 0;
  private emaState = { value: 0, weight: 0 };

  constructor(
    readonly name: string,
    readonly axis: SeriesAxis,
    readonly throughSeq: number,
    series: MetricSeries | undefined,
    private alpha: number,
  ) {
    if (!series) return;
    series.x.forEach((x, i) => {
      this.line.push({
        x,
        y: series.y[i] ?? null,
        min: series.min[i] ?? null,
        max: series.max[i] ?? null,
        n: series.n[i] ?? 1,
        seq: series.seq[i] ?? 0,
      });
      this.lo.push({ x, y: series.min[i] ?? null });
      this.hi.push({ x, y: series.max[i] ?? null });
    });
    for (const m of series.nonFinite) this.markers.push({ x: m.x, y: this.yBefore(m.x), value: m.value, count: m.count });
    this.recomputeEma(alpha);
  }

  /** Whether any bucket holds more than one point (then the min/max band is worth drawing). */
  get thinned(): boolean {
    return this.line.some((p) => p.n > 1);
  }

  last(): LinePoint | undefined {
    return this.line.at(-1);
  }

  /** Live reports after the load; returns whether anything was added. */
  append(reports: MetricReport[]): boolean {
    let added = false;
    for (const r of reports) {
      if (r.seq <= this.throughSeq || !(this.name in r.values)) continue;
      const x = reportX(r, this.axis);
      if (x === null) continue;
      const v = r.values[this.name]!;
      const finite = Number.isFinite(v);
      this.line.push({ x, y: finite ? v : null, min: finite ? v : null, max: finite ? v : null, n: 1, seq: r.seq });
      this.lo.push({ x, y: finite ? v : null });
      this.hi.push({ x, y: finite ? v : null });
      if (!finite) this.markers.push({ x, y: this.yBefore(x), value: v, count: 1 });
      this.ema.push({ x, y: finite ? this.emaStep(v) : null });
      this.appended++;
      added = true;
    }
    return added;
  }

  recomputeEma(alpha: number): void {
    this.alpha = alpha;
    this.emaState = { value: 0, weight: 0 };
    this.ema.length = 0;
    for (const p of this.line) this.ema.push({ x: p.x, y: p.y === null ? null : this.emaStep(p.y) });
  }

  /** Debiased EMA (as TensorBoard smooths): early points are not pulled towards zero. */
  private emaStep(y: number): number {
    const a = this.alpha;
    this.emaState.value = a * this.emaState.value + (1 - a) * y;
    this.emaState.weight = a * this.emaState.weight + (1 - a);
    return this.emaState.value / this.emaState.weight;
  }

  /** Where a NaN marker sits: on the line just before it, so it reads as "the line broke here". */
  private yBefore(x: number): number {
    for (let i = this.line.length - 1; i >= 0; i--) {
      const p = this.line[i]!;
      if (p.x <= x && p.y !== null) return p.y;
    }
    return this.line.find((p) => p.y !== null)?.y ?? 0;
  }

  /** The x where a status change at `seq` (and `at`, epoch `epoch`) falls on this axis. */
  xOfEvent(seq: number, at: Date, epoch: number): number | null {
    if (this.axis === 'time') return at.getTime();
    if (this.axis === 'epoch') return epoch;
    const after = this.line.find((p) => p.seq >= seq);
    return after?.x ?? this.line.at(-1)?.x ?? null;
  }
}
