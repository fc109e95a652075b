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

/** A metric keeps its colour whatever else the run reports (and whenever its chart is made). */
function colorOf(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

const AXES: SeriesAxis[] = ['step', 'epoch', 'time'];

function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: { id: T; label: string }[];
  onChange: (v: T) => void;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="inline-flex rounded-md border border-line p-0.5">
      {options.map((o) => (
        <button
          key={o.id}
          type="button"
          role="radio"
          aria-checked={value === o.id}
          onClick={() => onChange(o.id)}
          className={`rounded px-2.5 py-1 text-xs transition-colors ${value === o.id ? 'bg-raised text-fg' : 'text-muted hover:text-fg'}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

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
              <MetricChart
                key={n}
                experimentId={experimentId}
                name={n}
                axis={axis}
                smoothing={smoothing}
                logScale={logScale}
                color={colorOf(n)}
                feed={feed}
                statuses={statuses}
                alertAt={alertAt}
              />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
