'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useState } from 'react';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { StatusChangeEntry } from '@/shared/types';
import { api } from '@/trpc/react';
import { PALETTE } from '../charts/chartjs';
import { MetricChart } from '../charts/MetricChart';
import { groupMetrics } from '../runs/metricGroups';
import type { RunFeed } from './runFeed';
import { SmoothingSlider } from '@/components/charts/SmoothingSlider';
import { Segmented } from '../Segmented';

/** A metric keeps its colour whatever else the run reports (and whenever its chart is made). */
function colorOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

const AXES: SeriesAxis[] = ['step', 'epoch', 'time'];

export function MetricsPanel({
  experimentId,
  initialNames,
  feed,
  statuses,
  defaultAxis,
  alertAt,
}: {
  experimentId: string;
  initialNames: string[];
  feed: RunFeed;
  statuses: StatusChangeEntry[];
  defaultAxis: SeriesAxis;
  alertAt?: number;
}) {
  const t = useTranslations('metrics');
  const [axis, setAxis] = useState<SeriesAxis>(defaultAxis);
  const [smoothing, setSmoothing] = useState(0.6);
  const [logScale, setLogScale] = useState(false);
  const names = api.metric.names.useQuery({ experimentId }, { staleTime: Infinity, initialData: initialNames });
  const [liveNames, setLiveNames] = useState<string[]>([]);

  // Metrics first reported after the page opened get their chart as they appear.
  useEffect(
    () =>
      feed.metrics.follow(0, (reports) => {
        const seen = new Set<string>();
        for (const r of reports) for (const n of Object.keys(r.values)) seen.add(n);
        setLiveNames((old) => {
          const add = [...seen].filter((n) => !old.includes(n));
          return add.length ? [...old, ...add] : old;
        });
      }),
    [feed],
  );
  const all = useMemo(() => [...new Set([...(names.data ?? []), ...liveNames])], [names.data, liveNames]);
  const groups = groupMetrics(all);
  const view = { axis, smoothing, logScale, statuses, alertAt };

  return (
    <section aria-label={t('title')} className="space-y-4">
      <div className="flex flex-wrap items-center gap-3 rounded-xl border border-line bg-panel px-3 py-2">
        <h2 className="text-sm font-semibold">{t('title')}</h2>
        <Segmented label={t('xAxis')} value={axis} options={AXES.map((id) => ({ id, label: t(id) }))} onChange={setAxis} />
        <Segmented
          label={t('yScale')}
          value={logScale ? 'log' : 'linear'}
          options={[
            { id: 'linear', label: t('linear') },
            { id: 'log', label: t('log') },
          ]}
          onChange={(v) => setLogScale(v === 'log')}
        />
        <SmoothingSlider value={smoothing} onChange={setSmoothing} />
        <span className="ml-auto hidden text-[0.7rem] text-faint xl:inline">{t('hint')}</span>
      </div>
      {names.isLoading && <p className="text-sm text-muted">{t('loading')}</p>}
      {names.data && all.length === 0 && (
        <p className="rounded-xl border border-dashed border-line p-6 text-sm text-muted">{t('none')}</p>
      )}
      {groups.map((g) => (
        <div key={g.id}>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted">{t(`groups.${g.id}`)}</h3>
          <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
            {g.names.map((n) => (
              <MetricChart key={n} experimentId={experimentId} name={n} color={colorOf(n)} feed={feed} view={view} />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
