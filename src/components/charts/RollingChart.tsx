'use client';
/**
 * A small live chart of the last few minutes: the data arrays are owned by the caller and
 * grow in place; `version` tells the chart to redraw them. The chart is made once.
 */
import type { Chart } from 'chart.js';
import { useEffect, useRef } from 'react';
import { THEME_EVENT } from '../ThemeToggle';
import { useFormat } from '../useFormat';
import { loadChartJs, themeColors, withAlpha } from './chartjs';

export interface RollingSeries {
  key: string;
  label: string;
  color: string;
  points: { x: number; y: number | null }[];
}

export function RollingChart({
  series,
  version,
  windowMs,
  range,
  yMax,
  format,
  label,
  height = 64,
}: {
  series: RollingSeries[];
  version: number;
  windowMs: number;
  /** A fixed x range instead of the rolling window (a finished run's span). */
  range?: { min: number; max: number };
  /** Fixed top of the y axis (100 for percentages); auto when omitted. */
  yMax?: number;
  format: (v: number) => string;
  label: string;
  height?: number;
}) {
  const fmt = useFormat();
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', { x: number; y: number | null }[]> | null>(null);
  const latest = useRef({ series, windowMs, format, range, fmt });
  useEffect(() => {
    latest.current = { series, windowMs, format, range, fmt };
  });

  useEffect(() => {
    let disposed = false;
    void loadChartJs().then((C) => {
      if (disposed || !canvas.current) return;
      const colors = themeColors();
      const { series: s, format: f } = latest.current;
      chart.current = new C(canvas.current, {
        type: 'line',
        data: {
          datasets: s.map((d) => ({
            label: d.label,
            data: d.points,
            borderColor: d.color,
            backgroundColor: withAlpha(d.color, 0.12),
            borderWidth: 1.5,
            pointRadius: 0,
            fill: s.length === 1 ? 'origin' : false,
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
                title: (items) => (items[0] ? latest.current.fmt.clock(items[0].parsed.x ?? 0) : ''),
                label: (item) => `${item.dataset.label}: ${f(item.parsed.y ?? Number.NaN)}`,
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
              ticks: { color: colors.muted, maxTicksLimit: 3, callback: (v) => f(Number(v)) },
            },
          },
        },
      });
      redraw();
    });
    const onTheme = () => {
      const c = chart.current;
      if (!c) return;
      const colors = themeColors();
      const y = c.options.scales?.y;
      if (y?.grid) y.grid.color = colors.grid;
      if (y?.ticks) y.ticks.color = colors.muted;
      c.update('none');
    };
    window.addEventListener(THEME_EVENT, onTheme);
    return () => {
      disposed = true;
      window.removeEventListener(THEME_EVENT, onTheme);
      chart.current?.destroy();
      chart.current = null;
    };
    // The chart is made once; later data arrives through `version`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function redraw() {
    const c = chart.current;
    if (!c) return;
    const { series: s, windowMs: w, range: r } = latest.current;
    const now = Date.now();
    const x = c.options.scales?.x;
    if (x) {
      x.min = r ? r.min : now - w;
      x.max = r ? r.max : now;
    }
    s.forEach((d, i) => {
      const ds = c.data.datasets[i];
      if (ds) ds.data = d.points;
    });
    c.update('none');
  }

  useEffect(redraw, [version]);

  return (
    <div style={{ height }} className="relative">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
