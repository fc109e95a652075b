/**
 * A small live chart's configuration: a line per series (filled when alone), no x axis (the
 * window is the last few minutes, or a finished run's span), y from 0 in the caller's units.
 */
import type { ChartConfiguration } from 'chart.js';
import { withAlpha, type ThemeColors } from './chartjs';

export type RollingPoint = { x: number; y: number | null };

export interface RollingSeries {
  key: string;
  label: string;
  color: string;
  points: RollingPoint[];
}

export function rollingChartConfig({
  series,
  colors,
  yMax,
  format,
  clock,
}: {
  series: RollingSeries[];
  colors: ThemeColors;
  /** Fixed top of the y axis (100 for percentages); auto when omitted. */
  yMax?: number;
  format: (v: number) => string;
  /** A tooltip's title: the point's time of day. */
  clock: (ms: number) => string;
}): ChartConfiguration<'line', RollingPoint[]> {
  return {
    type: 'line',
    data: {
      datasets: series.map((d) => ({
        label: d.label,
        data: d.points,
        borderColor: d.color,
        backgroundColor: withAlpha(d.color, 0.12),
        borderWidth: 1.5,
        pointRadius: 0,
        fill: series.length === 1 ? 'origin' : false,
        tension: 0.25,
        spanGaps: false,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? clock(items[0].parsed.x ?? 0) : ''),
            label: (item) => `${item.dataset.label}: ${format(item.parsed.y ?? Number.NaN)}`,
          },
        },
      },
      scales: {
        x: { type: 'linear', display: false },
        y: {
          min: 0,
          ...(yMax !== undefined ? { max: yMax } : {}),
          grid: { color: colors.grid },
          border: { display: false },
          ticks: { color: colors.muted, maxTicksLimit: 3, callback: (v) => format(Number(v)) },
        },
      },
    },
  };
}

/** The x range shown: a fixed span where one is given, else the window ending now. */
export function visibleSpan(range: { min: number; max: number } | undefined, windowMs: number, now: number) {
  return range ? { min: range.min, max: range.max } : { min: now - windowMs, max: now };
}
