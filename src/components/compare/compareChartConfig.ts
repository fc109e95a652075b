/**
 * The compare chart's datasets and options: one metric of several runs, a colour per run, each
 * run's smoothed line over its faint raw one; wall time is time since each run's start.
 */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { MetricSeries } from '@/shared/metricSeries';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { Format } from '../format';
import { formatX } from '../charts/axis';
import { withAlpha, type ThemeColors } from '../charts/chartjs';
import { seriesChartOptions } from '../charts/seriesChartOptions';

export type XY = { x: number; y: number | null };

/** A run's faint raw line, behind its smoothed one. */
export type CompareDataset = ChartDataset<'line', XY[]> & { raw?: boolean };

/** Debiased EMA (as TensorBoard smooths); gaps stay gaps. */
export function ema(points: XY[], a: number): XY[] {
  let v = 0;
  let w = 0;
  return points.map((p) => {
    if (p.y === null) return p;
    v = a * v + (1 - a) * p.y;
    w = a * w + (1 - a);
    return { x: p.x, y: v / w };
  });
}

/** A series as points; on the time axis shifted so that the run starts at 0. */
export function seriesPoints(s: Pick<MetricSeries, 'x' | 'y'> | undefined, axis: SeriesAxis): XY[] {
  const pts: XY[] = s ? s.x.map((x, j) => ({ x, y: s.y[j] ?? null })) : [];
  const t0 = pts[0]?.x;
  // Wall time: runs started at different moments line up at their start.
  return axis === 'time' && t0 !== undefined ? pts.map((p) => ({ x: p.x - t0, y: p.y })) : pts;
}

export function compareDatasets(
  runs: { experimentId: string; color: string; series: Pick<MetricSeries, 'x' | 'y'> | undefined }[],
  { axis, smoothing, rawLabel }: { axis: SeriesAxis; smoothing: number; rawLabel: string },
): CompareDataset[] {
  return runs.flatMap((r) => {
    const pts = seriesPoints(r.series, axis);
    const line: CompareDataset = {
      label: r.experimentId,
      data: ema(pts, smoothing),
      borderColor: r.color,
      borderWidth: 1.8,
      pointRadius: 0,
      spanGaps: false,
    };
    if (smoothing === 0) return [line];
    const raw: CompareDataset = {
      label: `${r.experimentId} (${rawLabel})`,
      raw: true,
      data: pts,
      borderColor: withAlpha(r.color, 0.2),
      borderWidth: 1,
      pointRadius: 0,
    };
    return [line, raw];
  });
}

/** How many runs have a line drawn (their faint raw lines not counted twice). */
export const drawnRuns = (datasets: CompareDataset[]) => datasets.filter((d) => d.data.length && !d.raw).length;

export function compareChartConfig({
  colors,
  fmt,
  axis,
}: {
  colors: ThemeColors;
  fmt: Format;
  /** The axis shown now (it changes without the chart being made again). */
  axis: () => SeriesAxis;
}): ChartConfiguration<'line', XY[]> {
  return {
    type: 'line',
    data: { datasets: [] },
    options: seriesChartOptions({
      colors,
      fmt,
      xTick: (v) => (axis() === 'time' ? fmt.duration(v) : formatX(fmt, axis(), v)),
      tooltip: {
        filter: (item) => !(item.dataset as CompareDataset).raw,
        callbacks: { label: (item) => ` ${item.dataset.label}: ${fmt.metric(item.parsed.y)}` },
      },
    }),
  };
}
