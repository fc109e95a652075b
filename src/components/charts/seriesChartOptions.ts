/**
 * What a run's metric chart and the compare chart share: a linear x axis of steps, epochs or
 * time, metric values on y, no legend (the caption names the series), shift-drag to pan and
 * drag or ctrl-wheel to zoom along x.
 */
import type { Chart, ChartOptions } from 'chart.js';
import type { Format } from '../format';
import { withAlpha, type ThemeColors } from './chartjs';

const ZOOM_BOX = '#818cf8';

export function seriesChartOptions({
  colors,
  fmt,
  xTick,
  tooltip,
  onRange,
}: {
  colors: ThemeColors;
  fmt: Format;
  /** An x tick's label, given the visible span (a short span shows seconds). */
  xTick: (value: number, span: number) => string;
  tooltip: NonNullable<ChartOptions<'line'>['plugins']>['tooltip'];
  /** Called with the chart after the user zoomed or panned it. */
  onRange?: (chart: Chart) => void;
}): ChartOptions<'line'> {
  const rangeDone = onRange && (({ chart }: { chart: Chart }) => onRange(chart));
  return {
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
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
            return xTick(Number(v), this.max - this.min);
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
      tooltip,
      zoom: {
        pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: rangeDone },
        zoom: {
          mode: 'x',
          wheel: { enabled: true, modifierKey: 'ctrl' },
          pinch: { enabled: true },
          drag: { enabled: true, backgroundColor: withAlpha(ZOOM_BOX, 0.15), borderColor: ZOOM_BOX, borderWidth: 1 },
          onZoomComplete: rangeDone,
        },
      },
    },
  };
}
