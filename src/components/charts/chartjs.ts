'use client';
/**
 * Chart.js with the zoom and annotation plugins, loaded in the browser only: the zoom
 * plugin's touch support touches `window` as it loads, which server rendering must not run.
 */
import type { Chart } from 'chart.js';

export type ChartClass = typeof Chart;

let loading: Promise<ChartClass> | null = null;

export function loadChartJs(): Promise<ChartClass> {
  return (loading ??= (async () => {
    const [chartjs, zoom, annotation] = await Promise.all([
      import('chart.js'),
      import('chartjs-plugin-zoom'),
      import('chartjs-plugin-annotation'),
    ]);
    const C = chartjs.Chart;
    C.register(
      chartjs.LineController,
      chartjs.LineElement,
      chartjs.PointElement,
      chartjs.LinearScale,
      chartjs.LogarithmicScale,
      chartjs.Filler,
      chartjs.Tooltip,
      chartjs.Legend,
      zoom.default,
      annotation.default,
    );
    // Live charts update every second; an animation per update would only blur them.
    C.defaults.animation = false;
    // The page's own font stack (globals.css), CJK fallbacks included, for axis and status labels.
    C.defaults.font.family = getComputedStyle(document.body).fontFamily;
    C.defaults.font.size = 11;
    return C;
  })());
}

export type ThemeColors = ReturnType<typeof themeColors>;

/** The theme's colours for axes and grids, read from the CSS variables of globals.css. */
export function themeColors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#e6e8ee'),
    muted: v('--muted', '#949bab'),
    grid: v('--grid', 'rgba(255,255,255,0.06)'),
    line: v('--line', '#262b36'),
    panel: v('--panel', '#12151c'),
  };
}

/** Recolours every axis's grid and tick labels after the theme changed (the chart is not made again). */
export function restyleScales(options: { scales?: Record<string, ScaleColours | undefined> }, colors: ThemeColors) {
  for (const scale of Object.values(options.scales ?? {})) {
    if (scale?.grid) scale.grid.color = colors.grid;
    if (scale?.ticks) scale.ticks.color = colors.muted;
  }
}
type ScaleColours = { grid?: { color?: unknown }; ticks?: { color?: unknown } };

/** Distinct series colours, readable on both themes. */
export const PALETTE = [
  '#60a5fa',
  '#f472b6',
  '#34d399',
  '#fbbf24',
  '#a78bfa',
  '#f87171',
  '#22d3ee',
  '#fb923c',
  '#a3e635',
  '#e879f9',
];

export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
