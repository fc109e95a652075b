'use client';
/**
 * The fleet's history at a glance: one row per host (the filter's hosts, in the table's
 * default order), one column per bucket of the range, coloured as the GPU grid colours the
 * chosen metric; grey where a host sent nothing. Read once a minute, apart from the live grid.
 */
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import type { FleetHost } from '@/shared/fleet';
import { Segmented } from '../Segmented';
import { useFormat } from '../useFormat';
import { OFFLINE_COLOR, scaleGradient } from './gpuColors';
import { HeatmapCanvas, formatHeat } from './HeatmapCanvas';
import { axisTicks, bucketCount, HEAT_RANGES, rowOrder } from './heatmapLayout';
import { HEAT_METRICS, heatBounds, heatMetric, heatMetricOf, type HeatMetric } from './heatmapScale';
import { useFleetHistory } from './useFleetHistory';

export function FleetHeatmap({ hosts }: { hosts: FleetHost[] }) {
  const t = useTranslations('fleet.history');
  const th = useTranslations('host');
  const fmt = useFormat();
  const [metric, setMetric] = useState<HeatMetric>('util');
  const [range, setRange] = useState(HEAT_RANGES[0]!);
  const query = useFleetHistory(heatMetric(metric).metric, range);
  const history = query.data;

  // The fleet message comes every second; the rows are sorted again only when the names or
  // online states change (a string compared, not a thousand names sorted, each second).
  const hostsKey = hosts.map((h) => `${h.online ? 1 : 0}${h.host}`).join('\n');
  const rows = useMemo(
    () => (hostsKey ? rowOrder(hostsKey.split('\n').map((k) => ({ online: k[0] === '1', host: k.slice(1) }))) : []),
    [hostsKey],
  );
  // The answer names its metric: until the next one arrives, the last is drawn on its own scale.
  const shown = history ? heatMetricOf(history.metric) : heatMetric(metric);
  const bounds = useMemo(() => heatBounds(shown.key, history?.hosts.map((h) => h.values) ?? []), [shown.key, history]);
  const cols = history ? bucketCount(history, query.dataUpdatedAt) : 0;
  const metricName = t(`long.${shown.key}`);

  return (
    <section
      className="space-y-2 rounded-xl border border-line bg-panel p-3"
      data-testid="fleet-heatmap"
      aria-labelledby="fleet-history-heading"
    >
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <h3 id="fleet-history-heading" className="text-xs font-semibold uppercase tracking-wide text-muted">
          {t('title')}
        </h3>
        {history && (
          <span className="text-xs text-faint" data-testid="fleet-heatmap-summary">
            {t('summary', { count: rows.length, span: fmt.span(history.bucketMs) })}
          </span>
        )}
        {history && (query.isFetching || query.isPlaceholderData) && <span className="text-xs text-faint">{t('updating')}</span>}
        <Segmented
          look="chips"
          className="ml-auto"
          label={t('metric')}
          value={metric}
          options={HEAT_METRICS.map((m) => ({ id: m.key, label: m.key === 'cpu' ? th('cpu') : t(`metrics.${m.key}`) }))}
          onChange={setMetric}
        />
        <Segmented
          label={t('range')}
          value={String(range)}
          options={HEAT_RANGES.map((ms) => ({ id: String(ms), label: fmt.span(ms) }))}
          onChange={(v) => setRange(Number(v))}
        />
      </div>
      <div className="flex items-center gap-2 text-xs text-muted" data-testid="fleet-heatmap-legend">
        <span className="font-mono tabular-nums">{formatHeat(fmt, shown.unit, bounds.min)}</span>
        <span className="h-2 w-32 rounded-sm" style={{ background: scaleGradient() }} />
        <span className="font-mono tabular-nums">{formatHeat(fmt, shown.unit, bounds.max)}</span>
        <span className="ml-3 inline-block size-2.5 rounded-sm" style={{ background: OFFLINE_COLOR }} />
        <span>{t('noData')}</span>
      </div>
      {query.isError && !history ? (
        <p className="text-sm text-muted">{t('failed')}</p>
      ) : !history ? (
        <p className="text-sm text-muted">{t('loading')}</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-muted">{t('noHosts')}</p>
      ) : (
        <>
          <HeatmapCanvas
            history={history}
            rows={rows}
            cols={cols}
            min={bounds.min}
            max={bounds.max}
            unit={shown.unit}
            metricName={metricName}
          />
          <div className="relative h-4 text-xs text-faint" aria-hidden>
            {axisTicks(history, cols).map(({ at, t: time }) => (
              <span
                key={at}
                className="absolute font-mono tabular-nums"
                style={{ left: `${at * 100}%`, transform: `translateX(-${at * 100}%)` }}
              >
                {range > 24 * 3_600_000 ? fmt.dateTime(new Date(time)) : fmt.clock(time, false)}
              </span>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
