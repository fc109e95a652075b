'use client';
/** One metric of several runs overlaid, a colour per run; wall time is shown as time since each run's start. */
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef } from 'react';
import type { MetricSeries } from '@/shared/metricSeries';
import type { SeriesAxis } from '@/shared/schemas/queries';
import { api } from '@/trpc/react';
import { useFormat } from '../useFormat';
import { resetZoom, useChartJs } from '../charts/useChartJs';
import { compareChartConfig, compareDatasets, drawnRuns, type XY } from './compareChartConfig';

/** Module-level, so the combined list is recomputed only when a run's answer changes. */
const firstSeries = (results: { data?: { series: MetricSeries[] } }[]) => results.map((r) => r.data?.series[0]);

export function CompareChart({
  name,
  runs,
  axis,
  smoothing,
}: {
  name: string;
  runs: { experimentId: string; color: string }[];
  axis: SeriesAxis;
  smoothing: number;
}) {
  const t = useTranslations('compare');
  const fmt = useFormat();
  const box = useRef<HTMLDivElement>(null);
  // The axis as the chart's tick callback must read it: the chart outlives renders.
  const shownAxis = useRef(axis);
  // Each run's series; the combined list keeps its identity until one of them changes.
  const series = api.useQueries(
    (q) =>
      runs.map((r) =>
        q.metric.series({ experimentId: r.experimentId, names: [name], x: axis, maxPoints: 1000 }, { staleTime: 30_000 }),
      ),
    { combine: firstSeries },
  );
  const rawLabel = t('raw');
  const datasets = useMemo(
    () =>
      compareDatasets(
        runs.map((r, i) => ({ ...r, series: series[i] })),
        { axis, smoothing, rawLabel },
      ),
    [runs, series, axis, smoothing, rawLabel],
  );
  const { canvasRef, chart, redraw } = useChartJs<XY[]>({
    config: (colors) => compareChartConfig({ colors, fmt, axis: () => shownAxis.current }),
    draw: (c) => {
      c.data.datasets = datasets;
      box.current?.setAttribute('data-runs', String(drawnRuns(datasets)));
    },
  });

  // Redrawn when any run's data, the axis or the smoothing changes.
  useEffect(() => {
    shownAxis.current = axis;
    redraw();
  }, [datasets, axis, redraw]);

  return (
    <figure className="rounded-xl border border-line bg-panel p-3" data-testid="compare-chart" data-metric={name}>
      <figcaption className="mb-1 truncate font-mono text-xs font-medium" translate="no">
        {name}
      </figcaption>
      <div ref={box} data-runs="0" className="relative h-56" onDoubleClick={() => resetZoom(chart.current)}>
        <canvas ref={canvasRef} role="img" aria-label={t('chartLabel', { name, count: runs.length, axis })} />
      </div>
    </figure>
  );
}
