'use client';
/**
 * A Chart.js line chart on a canvas, for the life of a component: Chart.js is loaded in the
 * browser, the chart is made once, recoloured when the theme changes and destroyed on unmount.
 * Data changes never make it again (a live chart would flicker and lose its zoom): `draw`
 * puts the component's current data into it, and `redraw()` asks for that.
 */
import type { Chart, ChartConfiguration } from 'chart.js';
import { useCallback, useEffect, useEffectEvent, useRef } from 'react';
import { THEME_EVENT } from '../ThemeToggle';
import { loadChartJs, restyleScales, themeColors, type ThemeColors } from './chartjs';

export type LineChart<D> = Chart<'line', D>;

export function useChartJs<D>({
  config,
  draw,
}: {
  /** The chart's configuration, built when the chart is made, in the theme's colours of that moment. */
  config: (colors: ThemeColors) => ChartConfiguration<'line', D>;
  /** Puts the current data and settings into the chart; the update that follows is the hook's. */
  draw?: (chart: LineChart<D>) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chart = useRef<LineChart<D> | null>(null);
  // The newest `draw`, so a redraw asked for by an effect sees the render that asked.
  const drawNow = useRef(draw);
  useEffect(() => {
    drawNow.current = draw;
  });

  const redraw = useCallback(() => {
    const c = chart.current;
    if (!c) return;
    drawNow.current?.(c);
    c.update('none');
  }, []);

  const build = useEffectEvent(config);
  useEffect(() => {
    let disposed = false;
    void loadChartJs().then((C) => {
      if (disposed || !canvasRef.current) return;
      chart.current = new C<'line', D>(canvasRef.current, build(themeColors()));
      redraw();
    });
    const onTheme = () => {
      const c = chart.current;
      if (!c) return;
      restyleScales(c.options, themeColors());
      c.update('none');
    };
    window.addEventListener(THEME_EVENT, onTheme);
    return () => {
      disposed = true;
      window.removeEventListener(THEME_EVENT, onTheme);
      chart.current?.destroy();
      chart.current = null;
    };
  }, [redraw]);

  return { canvasRef, chart, redraw };
}

/** Undoes a zoom or pan (the zoom plugin adds `resetZoom` to every chart it is registered on). */
export function resetZoom(chart: Chart | null, mode?: 'none'): void {
  (chart as (Chart & { resetZoom?: (mode?: 'none') => void }) | null)?.resetZoom?.(mode);
}
