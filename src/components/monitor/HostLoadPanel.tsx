'use client';
/** The host's load over the run's time span, beside its metrics: was the GPU busy, or waiting? */
import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { TERMINAL_STATUSES } from '@/shared/vocabulary';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';
import { RollingChart, type RollingSeries } from '../charts/RollingChart';
import { PALETTE } from '../charts/chartjs';

const pct = (v: number) => `${Math.round(v)}%`;

export function HostLoadPanel({ session }: { session: SessionInfo }) {
  const t = useTranslations('hostLoad');
  const host = useTranslations('host');
  const common = useTranslations('common');
  const active = !TERMINAL_STATUSES.includes(session.status);
  const from = session.startedAt ?? session.createdAt;
  const to = session.endedAt;
  const history = api.system.history.useQuery(
    { host: session.host ?? '', from, ...(to ? { to } : {}), maxPoints: 300 },
    { enabled: !!session.host, refetchInterval: active ? 10_000 : false, placeholderData: (p) => p },
  );
  const data = history.data;
  const { charts, span } = useMemo(() => {
    const series = data?.series ?? {};
    const pts = (key: string) => {
      const s = series[key];
      return s ? s.t.map((t, i) => ({ x: t, y: s.avg[i] ?? null })) : [];
    };
    const gpuIds = [...new Set(Object.keys(series).flatMap((k) => /^gpu(\d+)_util$/.exec(k)?.[1] ?? []))].sort();
    const charts: { id: string; title: string; series: RollingSeries[] }[] = [
      {
        id: 'cpu',
        title: t('cpuMemory'),
        series: [
          { key: 'cpu_util', label: host('cpu'), color: '#60a5fa', points: pts('cpu_util') },
          { key: 'ram_percent', label: t('memory'), color: '#a78bfa', points: pts('ram_percent') },
        ],
      },
    ];
    // A chart per GPU measure, a line per GPU, in colours apart from the CPU chart's.
    const perGpu = (id: string, title: string, measure: string, firstColour: number) => ({
      id,
      title,
      series: gpuIds.map((gpu, i) => ({
        key: `gpu${gpu}_${measure}`,
        label: host('gpu', { id: gpu }),
        color: PALETTE[(i + firstColour) % PALETTE.length]!,
        points: pts(`gpu${gpu}_${measure}`),
      })),
    });
    if (gpuIds.length)
      charts.push(perGpu('gpu-util', t('gpuUtil'), 'util', 2), perGpu('gpu-memory', t('gpuMemory'), 'vram_percent', 4));
    const all = Object.values(series)
      .flatMap((s) => [s.t[0], s.t.at(-1)])
      .filter((t): t is number => t !== undefined);
    const span = all.length ? { min: from.getTime(), max: Math.max(to?.getTime() ?? 0, ...all) } : undefined;
    return { charts, span };
  }, [data, from, to, t, host]);

  return (
    <section aria-label={t('label')} className="rounded-xl border border-line bg-panel p-3" data-testid="host-load">
      <h2 className="mb-2 flex items-baseline gap-2 text-sm font-semibold">
        {t('title')}{' '}
        {session.host ? (
          <span className="truncate font-mono text-xs font-normal text-muted" translate="no">
            {session.host}
          </span>
        ) : (
          <span className="truncate text-xs font-normal text-muted">{t('unknownHost')}</span>
        )}
      </h2>
      {!session.host ? (
        <p className="text-xs text-muted">{t('noHost')}</p>
      ) : !data || Object.keys(data.series).length === 0 ? (
        <p className="text-xs text-muted">{history.isLoading ? common('loading') : t('noSamples')}</p>
      ) : (
        <div className="space-y-3">
          {charts.map((c) => (
            <div key={c.id}>
              <div className="mb-0.5 flex gap-3 text-[0.7rem] text-muted">
                <span className="font-medium">{c.title}</span>
                {c.series.map((s) => (
                  <span key={s.key} className="inline-flex items-center gap-1">
                    <span className="h-1.5 w-1.5 rounded-full" style={{ background: s.color }} />
                    {s.label}
                  </span>
                ))}
              </div>
              <RollingChart
                key={`${c.id}-${data.bucketMs}-${c.series.length}`}
                series={c.series}
                version={history.dataUpdatedAt}
                windowMs={0}
                range={span}
                yMax={100}
                format={pct}
                label={t('chartLabel', { title: c.title, host: session.host ?? '' })}
                height={90}
              />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
