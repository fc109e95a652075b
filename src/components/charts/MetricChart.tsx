'use client';
/**
 * One metric's chart. The series comes thinned from metric.series (mean line, min/max
 * band, NaN markers); live reports are appended in place; a zoom asks the server for the
 * visible range in full detail. The Chart.js instance is made once and only updated.
 */
import type { Chart } from 'chart.js';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { StatusChangeEntry } from '@/shared/types';
import { api } from '@/trpc/react';
import type { RunFeed } from '../monitor/runFeed';
import { THEME_EVENT } from '../ThemeToggle';
import { useFormat } from '../useFormat';
import { loadChartJs, themeColors, withAlpha } from './chartjs';
import { alertMarker } from './alertMarker';
import { MAX_POINTS } from './seriesLimits';
import { metricChartConfig, type AnyPoint } from './metricChartConfig';
import { SeriesBuffer } from './seriesBuffer';

// Fetch Chart.js as soon as this module loads in the browser, while the page hydrates, not
// after: the first draw of a run's page waits on it.
if (typeof window !== 'undefined') void loadChartJs();

type Range = { axis: SeriesAxis; from: number; to: number };

const STATUS_COLOR: Record<string, string> = {
  running: '#38bdf8',
  paused: '#f59e0b',
  completed: '#10b981',
  failed: '#ef4444',
  stopped: '#d946ef',
  queued: '#71717a',
};

export function MetricChart({
  experimentId,
  name,
  axis,
  smoothing,
  logScale,
  color,
  feed,
  statuses,
  alertAt,
}: {
  experimentId: string;
  name: string;
  axis: SeriesAxis;
  smoothing: number;
  logScale: boolean;
  color: string;
  feed: RunFeed;
  statuses: StatusChangeEntry[];
  /** An alert's time (from its link), marked on the time axis. */
  alertAt?: number;
}) {
  const t = useTranslations('chart');
  const common = useTranslations('common');
  const statusName = useTranslations('status');
  const alertWords = useTranslations('alerts');
  // The language is fixed for the page's life (switching it reloads), so the chart made once keeps these.
  const fmt = useFormat();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', AnyPoint[]> | null>(null);
  const shown = useRef<SeriesBuffer | null>(null);
  const settings = useRef({ smoothing, logScale, statuses, axis, alertAt });
  const [zoomed, setRange] = useState<Range | null>(null);
  // A zoom belongs to the axis it was made on; another axis starts unzoomed.
  const range = zoomed?.axis === axis ? zoomed : null;
  const [lastValue, setLastValue] = useState<number | null>(null);

  const overview = api.metric.series.useQuery(
    { experimentId, names: [name], x: axis, maxPoints: MAX_POINTS },
    { staleTime: Infinity },
  );
  const detail = api.metric.series.useQuery(
    { experimentId, names: [name], x: axis, maxPoints: MAX_POINTS, from: range?.from, to: range?.to },
    { enabled: range !== null, staleTime: Infinity, placeholderData: (prev) => prev },
  );

  // Redraws whatever buffer is shown, with the current settings.
  const draw = () => {
    const c = chart.current;
    const b = shown.current;
    if (!c || !b) return;
    const { smoothing: s, logScale: log, statuses: st } = settings.current;
    const ds = c.data.datasets;
    ds[0]!.data = b.lo;
    ds[1]!.data = b.hi;
    ds[2]!.data = b.line;
    ds[3]!.data = b.ema;
    ds[4]!.data = b.markers;
    const band = b.thinned;
    ds[0]!.hidden = !band;
    ds[1]!.hidden = !band;
    ds[2]!.borderColor = s > 0 ? withAlpha(color, 0.28) : color;
    ds[3]!.hidden = s === 0;
    const y = c.options.scales!.y!;
    y.type = log ? 'logarithmic' : 'linear';
    const annotations: Record<string, object> = {};
    for (const sc of st) {
      if (sc.previousStatus === null) continue;
      const x = b.xOfEvent(sc.seq, sc.timestamp, sc.currentEpoch);
      if (x === null) continue;
      const col = STATUS_COLOR[sc.status] ?? '#888';
      annotations[`s${sc.seq}`] = {
        type: 'line',
        scaleID: 'x',
        value: x,
        borderColor: withAlpha(col, 0.8),
        borderWidth: 1,
        borderDash: [4, 3],
        label: {
          display: true,
          content: statusName(sc.status),
          position: 'start',
          backgroundColor: withAlpha(col, 0.85),
          color: '#fff',
          font: { size: 10 },
          padding: 3,
        },
      };
    }
    const { alertAt: at, axis: shownAxis } = settings.current;
    if (at !== undefined && shownAxis === 'time') annotations.alert = alertMarker(at, alertWords('marker'));
    const plugins = c.options.plugins as { annotation?: { annotations: Record<string, object> } };
    if (plugins.annotation) plugins.annotation.annotations = annotations;
    c.update('none');
    const el = box.current;
    el?.setAttribute('data-points', String(b.line.length));
    // When the chart first showed data, in ms since the page's navigation began.
    if (el && b.line.length && !el.hasAttribute('data-first-drawn-at')) {
      el.setAttribute('data-first-drawn-at', String(Math.round(performance.now())));
    }
    const last = b.last();
    setLastValue(last ? (last.y ?? Number.NaN) : null);
  };

  const onRange = (c: Chart) => {
    const { min, max } = c.scales.x!;
    setRange({ axis: settings.current.axis, from: min, to: max });
  };

  // The chart, made once.
  useEffect(() => {
    let disposed = false;
    void loadChartJs().then((C) => {
      if (disposed || !canvas.current) return;
      const colors = themeColors();
      chart.current = new C<'line', AnyPoint[]>(
        canvas.current,
        metricChartConfig({ name, color, fmt, t, colors, axis: () => settings.current.axis, onRange }),
      );
      draw();
    });
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
      disposed = true;
      window.removeEventListener(THEME_EVENT, onTheme);
      chart.current?.destroy();
      chart.current = null;
    };
    // Made once: later changes reach the chart through draw().
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const resetZoom = () => {
    (chart.current as (Chart & { resetZoom?: () => void }) | null)?.resetZoom?.();
    setRange(null);
  };

  // The overview (or the zoomed detail) becomes the shown buffer, then follows live reports.
  const loaded = range ? detail.data : overview.data;
  useEffect(() => {
    if (!loaded) return;
    const buffer = new SeriesBuffer(name, axis, loaded.throughSeq, loaded.series[0], settings.current.smoothing);
    shown.current = buffer;
    draw();
    let frame = 0;
    const stop = feed.metrics.follow(loaded.throughSeq, (reports) => {
      if (!buffer.append(reports) || frame) return;
      // Several reports a frame are drawn once.
      frame = requestAnimationFrame(() => {
        frame = 0;
        draw();
        // A long live run: re-thin once the appended points outnumber the loaded buckets.
        if (!range && buffer.appended > MAX_POINTS) void overview.refetch();
      });
    });
    return () => {
      stop();
      cancelAnimationFrame(frame);
    };
    // draw and overview are stable enough; the buffer is rebuilt only when the data changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, name, axis, feed]);

  useEffect(() => {
    const axisChanged = settings.current.axis !== axis;
    settings.current = { smoothing, logScale, statuses, axis, alertAt };
    if (axisChanged) (chart.current as (Chart & { resetZoom?: () => void }) | null)?.resetZoom?.('none');
    shown.current?.recomputeEma(smoothing);
    draw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [smoothing, logScale, statuses, axis]);

  return (
    <figure
      className="rounded-xl border border-line bg-panel p-3"
      data-testid="metric-chart"
      data-metric={name}
      aria-label={t('label', { name })}
    >
      <figcaption className="mb-1 flex items-center gap-2">
        <span className="h-2 w-2 shrink-0 rounded-full" style={{ background: color }} aria-hidden />
        <span className="truncate font-mono text-xs font-medium" title={name} translate="no">
          {name}
        </span>
        <span className="ml-auto font-mono text-xs tabular-nums text-muted" data-testid="metric-last">
          {lastValue === null ? '' : fmt.metric(lastValue)}
        </span>
        {range && (
          <button
            type="button"
            onClick={resetZoom}
            className="rounded border border-line px-1.5 py-0.5 text-[0.7rem] text-muted hover:bg-raised hover:text-fg"
            aria-label={t('resetZoomOf', { name })}
          >
            {detail.isFetching ? common('loading') : t('resetZoom')}
          </button>
        )}
      </figcaption>
      <div ref={box} className="relative h-52" onDoubleClick={resetZoom} data-testid="metric-canvas">
        <canvas ref={canvas} role="img" aria-label={t('canvas', { name, axis })} />
        {overview.isLoading && (
          <div className="absolute inset-0 grid place-items-center text-xs text-faint">{common('loading')}</div>
        )}
        {overview.data && overview.data.series.length === 0 && (
          <div className="absolute inset-0 grid place-items-center text-xs text-faint">{t('noPoints')}</div>
        )}
      </div>
    </figure>
  );
}
