'use client';
/**
 * One metric's chart. The series comes thinned from metric.series (mean line, min/max
 * band, NaN markers); live reports are appended in place; a zoom asks the server for the
 * visible range in full detail. The Chart.js instance is made once and only updated.
 */
import type { Chart } from 'chart.js';
import { useTranslations } from 'next-intl';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { StatusChangeEntry } from '@/shared/types';
import { api, type RouterOutputs } from '@/trpc/react';
import type { RunFeed } from '../monitor/runFeed';
import { useFormat } from '../useFormat';
import { loadChartJs } from './chartjs';
import { MAX_POINTS } from './seriesLimits';
import { metricChartConfig, showSeries, type AnyPoint } from './metricChartConfig';
import { SeriesBuffer } from './seriesBuffer';
import { statusAnnotations } from './statusAnnotations';
import { resetZoom, useChartJs, type LineChart } from './useChartJs';

// Fetch Chart.js as soon as this module loads in the browser, while the page hydrates, not
// after: the first draw of a run's page waits on it.
if (typeof window !== 'undefined') void loadChartJs();

/** How every chart of a run's metrics panel is shown. */
export interface MetricChartView {
  axis: SeriesAxis;
  smoothing: number;
  logScale: boolean;
  statuses: StatusChangeEntry[];
  /** An alert's time (from its link), marked on the time axis. */
  alertAt?: number;
}

type Range = { axis: SeriesAxis; from: number; to: number };
type Loaded = RouterOutputs['metric']['series'];

export function MetricChart({
  experimentId,
  name,
  color,
  feed,
  view: { axis, smoothing, logScale, statuses, alertAt },
}: {
  experimentId: string;
  name: string;
  color: string;
  feed: RunFeed;
  view: MetricChartView;
}) {
  const t = useTranslations('chart');
  const common = useTranslations('common');
  const statusName = useTranslations('status');
  const alertWords = useTranslations('alerts');
  // The language is fixed for the page's life (switching it reloads), so the chart made once keeps these.
  const fmt = useFormat();
  const box = useRef<HTMLDivElement>(null);
  const shown = useRef<SeriesBuffer | null>(null);
  // The axis as the chart's own callbacks (ticks, tooltips, zoom) must read it: they outlive renders.
  const shownAxis = useRef(axis);
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

  // Draws whatever buffer is shown, with the current settings.
  const draw = (c: LineChart<AnyPoint[]>) => {
    const b = shown.current;
    if (!b) return;
    const annotations = statusAnnotations({
      statuses,
      xOf: (sc) => b.xOfEvent(sc.seq, sc.timestamp, sc.currentEpoch),
      statusName,
      alert: alertAt !== undefined && axis === 'time' ? { at: alertAt, label: alertWords('marker') } : undefined,
    });
    showSeries(c, b, { color, smoothing, logScale, annotations });
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
    setRange({ axis: shownAxis.current, from: min, to: max });
  };
  const { canvasRef, chart, redraw } = useChartJs<AnyPoint[]>({
    config: (colors) => metricChartConfig({ name, color, fmt, t, colors, axis: () => shownAxis.current, onRange }),
    draw,
  });

  const unzoom = () => {
    resetZoom(chart.current);
    setRange(null);
  };

  // A new buffer starts with the smoothing of the moment; later changes recompute its EMA.
  const newBuffer = useEffectEvent((data: Loaded) => new SeriesBuffer(name, axis, data.throughSeq, data.series[0], smoothing));
  // A long live run: re-thin once the appended points outnumber the loaded buckets.
  const rethinIfLong = useEffectEvent((buffer: SeriesBuffer) => {
    if (!range && buffer.appended > MAX_POINTS) void overview.refetch();
  });

  // The overview (or the zoomed detail) becomes the shown buffer, then follows live reports.
  const loaded = range ? detail.data : overview.data;
  useEffect(() => {
    if (!loaded) return;
    const buffer = newBuffer(loaded);
    shown.current = buffer;
    redraw();
    let frame = 0;
    const stop = feed.metrics.follow(loaded.throughSeq, (reports) => {
      if (!buffer.append(reports) || frame) return;
      // Several reports a frame are drawn once.
      frame = requestAnimationFrame(() => {
        frame = 0;
        redraw();
        rethinIfLong(buffer);
      });
    });
    return () => {
      stop();
      cancelAnimationFrame(frame);
    };
  }, [loaded, feed, redraw]);

  useEffect(() => {
    if (shownAxis.current !== axis) {
      shownAxis.current = axis;
      resetZoom(chart.current, 'none');
    }
    shown.current?.recomputeEma(smoothing);
    redraw();
  }, [smoothing, logScale, statuses, axis, alertAt, chart, redraw]);

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
            onClick={unzoom}
            className="rounded border border-line px-1.5 py-0.5 text-[0.7rem] text-muted hover:bg-raised hover:text-fg"
            aria-label={t('resetZoomOf', { name })}
          >
            {detail.isFetching ? common('loading') : t('resetZoom')}
          </button>
        )}
      </figcaption>
      <div ref={box} className="relative h-52" onDoubleClick={unzoom} data-testid="metric-canvas">
        <canvas ref={canvasRef} role="img" aria-label={t('canvas', { name, axis })} />
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
