/**
 * A metric chart's Chart.js configuration: the mean line, its min/max band, the smoothed
 * line and the non-finite markers, with ticks and tooltips in the page's language.
 */
import type { Chart, ChartConfiguration, ChartDataset, TooltipItem } from 'chart.js';
import type { useTranslations } from 'next-intl';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { Format } from '../format';
import { formatX } from './axis';
import { withAlpha, type themeColors } from './chartjs';
import type { LinePoint, Marker, XY } from './seriesBuffer';

export type AnyPoint = LinePoint | XY | Marker;

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
  colors: ReturnType<typeof themeColors>;
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
  return {
    type: 'line',
    data: { datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          grid: { color: colors.grid },
          border: { color: colors.line },
          ticks: {
            color: colors.muted,
            maxTicksLimit: 7,
            maxRotation: 0,
            callback(v) {
              return formatX(fmt, axis(), Number(v), this.max - this.min);
            },
          },
        },
        y: {
          type: 'linear',
          grid: { color: colors.grid },
          border: { display: false },
          ticks: { color: colors.muted, maxTicksLimit: 6, callback: (v) => fmt.metric(Number(v)) },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex >= 2 && !item.dataset.hidden,
          callbacks: {
            title: (items) => (items[0] ? describeX((items[0].raw as AnyPoint).x) : ''),
            label: (item: TooltipItem<'line'>) => {
              if (item.datasetIndex === 4) {
                const m = item.raw as Marker;
                return ` ${name}: ${fmt.metric(m.value)}${m.count > 1 ? ` ×${m.count}` : ''}`;
              }
              if (item.datasetIndex === 3) return ` ${t('smoothed')}: ${fmt.metric(item.parsed.y)}`;
              const p = item.raw as LinePoint;
              const spread =
                p.n > 1 ? `  (${t('spread', { min: fmt.metric(p.min), max: fmt.metric(p.max), count: fmt.count(p.n) })})` : '';
              return ` ${name}: ${fmt.metric(p.y)}${spread}`;
            },
          },
        },
        zoom: {
          pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: ({ chart: c }) => onRange(c) },
          zoom: {
            mode: 'x',
            wheel: { enabled: true, modifierKey: 'ctrl' },
            pinch: { enabled: true },
            drag: { enabled: true, backgroundColor: withAlpha('#818cf8', 0.15), borderColor: '#818cf8', borderWidth: 1 },
            onZoomComplete: ({ chart: c }) => onRange(c),
          },
        },
        annotation: { annotations: {} },
      },
    },
  };
}
