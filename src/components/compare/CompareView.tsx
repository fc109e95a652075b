'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';
import { PALETTE } from '../charts/chartjs';
import { StatusBadge } from '../StatusBadge';
import { groupMetrics } from '../runs/metricGroups';
import { CompareChart } from './CompareChart';
import { SmoothingSlider } from '@/components/charts/SmoothingSlider';
import { Segmented } from '../Segmented';

const AXES: SeriesAxis[] = ['step', 'epoch', 'time'];

export function CompareView({ sessions, missing }: { sessions: SessionInfo[]; missing: string[] }) {
  const t = useTranslations('compare');
  const groupTitle = useTranslations('metrics.groups');
  const [axis, setAxis] = useState<SeriesAxis>('step');
  const [smoothing, setSmoothing] = useState(0.6);
  const names = api.useQueries((t) => sessions.map((s) => t.metric.names({ experimentId: s.experimentId })));
  const all = [...new Set(names.flatMap((n) => n.data ?? []))];
  const runs = sessions.map((s, i) => ({ experimentId: s.experimentId, color: PALETTE[i % PALETTE.length]! }));

  return (
    <main className="mx-auto max-w-[1600px] space-y-4 px-4 py-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold">{t('title', { count: sessions.length })}</h1>
        <Segmented
          label={t('xAxis')}
          value={axis}
          options={AXES.map((a) => ({ id: a, label: a === 'time' ? t('timeSinceStart') : t(a) }))}
          onChange={setAxis}
        />
        <SmoothingSlider value={smoothing} onChange={setSmoothing} />
      </div>

      <ul className="flex flex-wrap gap-2" aria-label={t('runsCompared')}>
        {sessions.map((s, i) => (
          <li
            key={s.experimentId}
            className="flex items-center gap-2 rounded-full border border-line bg-panel py-1 pl-2 pr-3 text-xs"
          >
            <span className="h-2.5 w-2.5 rounded-full" style={{ background: runs[i]!.color }} aria-hidden />
            <Link
              href={`/sessions/${encodeURIComponent(s.experimentId)}`}
              className="font-mono hover:text-accent hover:underline"
              translate="no"
            >
              {s.experimentId}
            </Link>
            <StatusBadge status={s.status} />
          </li>
        ))}
      </ul>
      {missing.length > 0 && (
        <p className="text-xs text-amber-600 dark:text-amber-400">
          {t.rich('notFound', { ids: missing.join(', '), id: (text) => <span translate="no">{text}</span> })}
        </p>
      )}

      {groupMetrics(all).map((g) => (
        <section key={g.id} aria-label={groupTitle(g.id)}>
          <h2 className="mb-2 text-xs font-semibold uppercase tracking-wide text-muted">{groupTitle(g.id)}</h2>
          <div className="grid gap-3 md:grid-cols-2 2xl:grid-cols-3">
            {g.names.map((n) => (
              <CompareChart key={n} name={n} runs={runs} axis={axis} smoothing={smoothing} />
            ))}
          </div>
        </section>
      ))}
    </main>
  );
}
