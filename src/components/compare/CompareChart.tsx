'use client';
/** One metric of several runs overlaid, a colour per run; wall time is shown as time since each run's start. */
import type { Chart, ChartDataset } from 'chart.js';
import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';
import type { SeriesAxis } from '@/shared/schemas/queries';
import { api } from '@/trpc/react';
import { THEME_EVENT } from '../ThemeToggle';
import { useFormat } from '../useFormat';
import { formatX } from '../charts/axis';
import { loadChartJs, themeColors, withAlpha } from '../charts/chartjs';

type XY = { x: number; y: number | null };

function ema(points: XY[], a: number): XY[] {
  let v = 0;
  let w = 0;
  return points.map((p) => {
    if (p.y === null) return p;
    v = a * v + (1 - a) * p.y;
    w = a * w + (1 - a);
    return { x: p.x, y: v / w };
  });
}

/** A run's faint raw line, behind its smoothed one. */
type CompareDataset = ChartDataset<'line', XY[]> & { raw?: boolean };

/** How many runs have a line drawn (their faint raw lines not counted twice). */
const drawnRuns = (datasets: CompareDataset[]) => datasets.filter((d) => d.data.length && !d.raw).length;

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
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart<'line', XY[]> | null>(null);
  const results = api.useQueries((t) =>
    runs.map((r) =>
      t.metric.series({ experimentId: r.experimentId, names: [name], x: axis, maxPoints: 1000 }, { staleTime: 30_000 }),
    ),
  );
  const key = results.map((r) => r.dataUpdatedAt).join(',');
  const runsKey = runs.map((r) => r.experimentId).join(',');

  useEffect(() => {
    let disposed = false;
    const datasets: CompareDataset[] = [];
    runs.forEach((r, i) => {
      const s = results[i]?.data?.series[0];
      let pts: XY[] = s ? s.x.map((x, j) => ({ x, y: s.y[j] ?? null })) : [];
      // Wall time: runs started at different moments line up at their start.
      if (axis === 'time' && pts[0]) {
        const t0 = pts[0].x;
        pts = pts.map((p) => ({ x: p.x - t0, y: p.y }));
      }
      datasets.push({
        label: r.experimentId,
        data: ema(pts, smoothing),
        borderColor: r.color,
        borderWidth: 1.8,
        pointRadius: 0,
        spanGaps: false,
      });
      if (smoothing > 0) {
        datasets.push({
          label: `${r.experimentId} (${t('raw')})`,
          raw: true,
          data: pts,
          borderColor: withAlpha(r.color, 0.2),
          borderWidth: 1,
          pointRadius: 0,
        });
      }
    });
    if (chart.current) {
      chart.current.data.datasets = datasets;
      chart.current.update('none');
      box.current?.setAttribute('data-runs', String(drawnRuns(datasets)));
      return;
    }
    void loadChartJs().then((C) => {
      if (disposed || !canvas.current || chart.current) return;
      const colors = themeColors();
      chart.current = new C<'line', XY[]>(canvas.current, {
        type: 'line',
        data: { datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          parsing: false,
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          scales: {
            x: {
              type: 'linear',
              grid: { color: colors.grid },
              ticks: {
                color: colors.muted,
                maxTicksLimit: 7,
                maxRotation: 0,
                callback: (v) => (axis === 'time' ? fmt.duration(Number(v)) : formatX(fmt, axis, Number(v))),
              },
            },
            y: {
              grid: { color: colors.grid },
              border: { display: false },
              ticks: { color: colors.muted, callback: (v) => fmt.metric(Number(v)) },
            },
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              filter: (item) => !(item.dataset as CompareDataset).raw,
              callbacks: { label: (item) => ` ${item.dataset.label}: ${fmt.metric(item.parsed.y)}` },
            },
            zoom: {
              pan: { enabled: true, mode: 'x', modifierKey: 'shift' },
              zoom: {
                mode: 'x',
                drag: { enabled: true, backgroundColor: withAlpha('#818cf8', 0.15) },
                wheel: { enabled: true, modifierKey: 'ctrl' },
              },
            },
          },
        },
      });
      box.current?.setAttribute('data-runs', String(drawnRuns(datasets)));
    });
    return () => {
      disposed = true;
    };
    // Redrawn when any run's data, the axis or the smoothing changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, runsKey, axis, smoothing]);

  useEffect(() => {
    const onTheme = () => {
      const c = chart.current;
      if (!c) return;
      const colors = themeColors();
      for (const s of [c.options.scales!.x!, c.options.scales!.y!]) {
        if (s.grid) s.grid.color = colors.grid;
        if (s.ticks) s.ticks.color = colors.muted;
      }
      c.update('none');
    };
    window.addEventListener(THEME_EVENT, onTheme);
    return () => {
      window.removeEventListener(THEME_EVENT, onTheme);
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  return (
    <figure className="rounded-xl border border-line bg-panel p-3" data-testid="compare-chart" data-metric={name}>
      <figcaption className="mb-1 truncate font-mono text-xs font-medium" translate="no">
        {name}
      </figcaption>
      <div
        ref={box}
        data-runs="0"
        className="relative h-56"
        onDoubleClick={() => (chart.current as (Chart & { resetZoom?: () => void }) | null)?.resetZoom?.()}
      >
        <canvas ref={canvas} role="img" aria-label={t('chartLabel', { name, count: runs.length, axis })} />
      </div>
    </figure>
  );
}
