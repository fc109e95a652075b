/**
 * A metric chart's Chart.js configuration: the mean line, its min/max band, the smoothed
 * line and the non-finite markers, with ticks and tooltips in the page's language.
 */
import type { Chart, ChartConfiguration, ChartDataset, ChartOptions, TooltipItem } from 'chart.js';
import type { useTranslations } from 'next-intl';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { Format } from '../format';
import { formatX } from './axis';
import { withAlpha, type ThemeColors } from './chartjs';
import { seriesChartOptions } from './seriesChartOptions';
import type { LinePoint, Marker, SeriesBuffer, XY } from './seriesBuffer';

export type AnyPoint = LinePoint | XY | Marker;

/** The datasets' places: band low and high, the line, its smoothed twin, the non-finite markers. */
const [LOW, HIGH, LINE, SMOOTHED, MARKERS] = [0, 1, 2, 3, 4] as const;

export function metricChartConfig({
  name,
  color,
  fmt,
  t,
  colors,
  axis,
  onRange,
}: {
  name: string;
  color: string;
  fmt: Format;
  t: ReturnType<typeof useTranslations<'chart'>>;
  colors: ThemeColors;
  /** The axis shown now (it changes without the chart being made again). */
  axis: () => SeriesAxis;
  onRange: (c: Chart) => void;
}): ChartConfiguration<'line', AnyPoint[]> {
  // A tooltip's title: the point's step, epoch or wall time.
  const describeX = (v: number) => {
    const a = axis();
    if (a === 'time') return fmt.dateTimeFull(v);
    if (a === 'epoch') return t('atEpoch', { epoch: Number.isInteger(v) ? v : v.toFixed(2) });
    return t('atStep', { step: fmt.count(Math.round(v)) });
  };
  const datasets: ChartDataset<'line', AnyPoint[]>[] = [
    { label: t('min'), data: [], borderWidth: 0, pointRadius: 0, fill: false, borderColor: 'transparent' },
    {
      label: t('max'),
      data: [],
      borderWidth: 0,
      pointRadius: 0,
      fill: '-1',
      backgroundColor: withAlpha(color, 0.14),
      borderColor: 'transparent',
    },
    { label: name, data: [], borderColor: color, borderWidth: 1.5, pointRadius: 0, pointHitRadius: 6, spanGaps: false },
    {
      label: `${name} (${t('smoothed')})`,
      data: [],
      borderColor: color,
      borderWidth: 2,
      pointRadius: 0,
      pointHitRadius: 6,
      spanGaps: false,
    },
    {
      label: t('nonFinite'),
      data: [],
      showLine: false,
      pointStyle: 'triangle',
      pointRadius: 5,
      pointHoverRadius: 7,
      borderColor: '#ef4444',
      backgroundColor: '#ef4444',
    },
  ];
  const options = seriesChartOptions({
    colors,
    fmt,
    xTick: (v, span) => formatX(fmt, axis(), v, span),
    onRange,
    tooltip: {
      filter: (item) => item.datasetIndex >= LINE && !item.dataset.hidden,
      callbacks: {
        title: (items) => (items[0] ? describeX((items[0].raw as AnyPoint).x) : ''),
        label: (item: TooltipItem<'line'>) => {
          if (item.datasetIndex === MARKERS) {
            const m = item.raw as Marker;
            return ` ${name}: ${fmt.metric(m.value)}${m.count > 1 ? ` ×${m.count}` : ''}`;
          }
          if (item.datasetIndex === SMOOTHED) return ` ${t('smoothed')}: ${fmt.metric(item.parsed.y)}`;
          const p = item.raw as LinePoint;
          const spread =
            p.n > 1 ? `  (${t('spread', { min: fmt.metric(p.min), max: fmt.metric(p.max), count: fmt.count(p.n) })})` : '';
          return ` ${name}: ${fmt.metric(p.y)}${spread}`;
        },
      },
    },
  });
  return {
    type: 'line',
    data: { datasets },
    options: { ...options, normalized: true, plugins: { ...options.plugins, annotation: { annotations: {} } } },
  };
}

/** The parts of a made chart that showing a series changes. */
export interface MetricChartState {
  data: { datasets: ChartDataset<'line', AnyPoint[]>[] };
  options: ChartOptions<'line'>;
}

/** Puts a buffer's points into the chart's datasets, with the smoothing, y scale and annotations asked for. */
export function showSeries(
  chart: MetricChartState,
  b: Pick<SeriesBuffer, 'lo' | 'hi' | 'line' | 'ema' | 'markers' | 'thinned'>,
  { color, smoothing, logScale, annotations }: { color: string; smoothing: number; logScale: boolean; annotations: object },
): void {
  const ds = chart.data.datasets;
  ds[LOW]!.data = b.lo;
  ds[HIGH]!.data = b.hi;
  ds[LINE]!.data = b.line;
  ds[SMOOTHED]!.data = b.ema;
  ds[MARKERS]!.data = b.markers;
  // A band only where buckets hold several points; the raw line fades behind a smoothed one.
  ds[LOW]!.hidden = !b.thinned;
  ds[HIGH]!.hidden = !b.thinned;
  ds[LINE]!.borderColor = smoothing > 0 ? withAlpha(color, 0.28) : color;
  ds[SMOOTHED]!.hidden = smoothing === 0;
  const y = chart.options.scales?.y;
  if (y) y.type = logScale ? 'logarithmic' : 'linear';
  const plugins = chart.options.plugins as { annotation?: { annotations: object } } | undefined;
  if (plugins?.annotation) plugins.annotation.annotations = annotations;
}
