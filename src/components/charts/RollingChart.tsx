'use client';
/**
 * A small live chart of the last few minutes: the data arrays are owned by the caller and
 * grow in place; `version` tells the chart to redraw them. The chart is made once.
 */
import { useEffect } from 'react';
import { useFormat } from '../useFormat';
import { rollingChartConfig, visibleSpan, type RollingPoint, type RollingSeries } from './rollingChartConfig';
import { useChartJs } from './useChartJs';

export type { RollingSeries } from './rollingChartConfig';

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
  const { canvasRef, redraw } = useChartJs<RollingPoint[]>({
    config: (colors) => rollingChartConfig({ series, colors, yMax, format, clock: (ms) => fmt.clock(ms) }),
    draw: (c) => {
      const x = c.options.scales?.x;
      if (x) Object.assign(x, visibleSpan(range, windowMs, Date.now()));
      series.forEach((d, i) => {
        const ds = c.data.datasets[i];
        if (ds) ds.data = d.points;
      });
    },
  });

  // The caller grew the arrays in place: draw them.
  useEffect(() => redraw(), [version, redraw]);

  return (
    <div style={{ height }} className="relative">
      <canvas ref={canvasRef} role="img" aria-label={label} />
    </div>
  );
}
