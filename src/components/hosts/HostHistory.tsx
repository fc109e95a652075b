'use client';
/**
 * The host's charts over the chosen range, from the tier that fits it (system.history);
 * a live range is read again every few seconds, so its right end keeps up. Runs on the
 * host are marked on a strip under the charts, on the same time axis.
 */
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useMemo } from 'react';
import type { SystemHistory } from '@/shared/systemSample';
import { SESSION_STATUSES, type SessionStatus } from '@/shared/vocabulary';
import { api } from '@/trpc/react';
import { PALETTE } from '../charts/chartjs';
import { RollingChart, type RollingSeries } from '../charts/RollingChart';
import { useFormat } from '../useFormat';

/** Statuses come from the database as text; an unknown one is shown as written. */
const isStatus = (s: string): s is SessionStatus => (SESSION_STATUSES as readonly string[]).includes(s);

function points(h: SystemHistory | undefined, key: string) {
  const s = h?.series[key];
  return s ? s.t.map((t, i) => ({ x: t, y: s.avg[i] ?? null })) : [];
}

export function HostHistory({ host, from, to, live }: { host: string; from: number; to: number; live: boolean }) {
  const history = api.system.history.useQuery(
    { host, from: new Date(from), to: new Date(to), maxPoints: 400 },
    { refetchInterval: live ? 5000 : false, placeholderData: (p) => p },
  );
  const t = useTranslations('hostPage');
  const tc = useTranslations('hostPage.charts');
  const th = useTranslations('host');
  const ts = useTranslations('status');
  const fmt = useFormat();
  const runs = api.system.runs.useQuery({ host, from: new Date(from), to: new Date(to) }, { placeholderData: (p) => p });
  const h = history.data;
  const version = history.dataUpdatedAt + from + to;

  const charts = useMemo(() => {
    const gpuIds = [...new Set(Object.keys(h?.series ?? {}).flatMap((k) => /^gpu(\d+)_util$/.exec(k)?.[1] ?? []))].sort(
      (a, b) => Number(a) - Number(b),
    );
    const line = (key: string, label: string, color: string): RollingSeries => ({ key, label, color, points: points(h, key) });
    const perGpu = (metric: string) =>
      gpuIds.map((id, i) => line(`gpu${id}_${metric}`, th('gpu', { id }), PALETTE[i % PALETTE.length]!));
    const pct = (v: number) => fmt.percent(v);
    const list: { title: string; series: RollingSeries[]; yMax?: number; format: (v: number) => string }[] = [
      {
        title: tc('cpuMemorySwap'),
        yMax: 100,
        format: pct,
        series: [
          line('cpu_util', th('cpu'), '#60a5fa'),
          line('ram_percent', tc('memory'), '#a78bfa'),
          line('swap_percent', tc('swap'), '#f472b6'),
        ],
      },
      { title: tc('load'), format: (v) => fmt.decimal(v, 2), series: [line('load1', tc('loadSeries'), '#fbbf24')] },
      {
        title: tc('disk'),
        format: fmt.rate,
        series: [line('disk_read_bps', tc('read'), '#34d399'), line('disk_write_bps', tc('write'), '#f87171')],
      },
      {
        title: tc('network'),
        format: fmt.rate,
        series: [line('net_recv_bps', tc('received'), '#22d3ee'), line('net_sent_bps', tc('sent'), '#fb923c')],
      },
    ];
    if (gpuIds.length) {
      list.push(
        { title: tc('gpuUtil'), yMax: 100, format: pct, series: perGpu('util') },
        { title: tc('gpuMemory'), yMax: 100, format: pct, series: perGpu('vram_percent') },
        { title: tc('gpuTemp'), format: (v) => fmt.measure(v, '°C'), series: perGpu('temp') },
        { title: tc('gpuPower'), format: (v) => fmt.watts(v), series: perGpu('power') },
      );
    }
    return list;
  }, [h, fmt, tc, th]);

  const span = to - from;
  return (
    <section aria-label={t('history')} className="space-y-3">
      <div className="grid gap-3 md:grid-cols-2" data-testid="host-history">
        {charts.map((c) => (
          <div key={`${c.title}:${c.series.length}`} className="rounded-lg border border-line bg-panel p-3">
            <div className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">{c.title}</div>
            <RollingChart
              series={c.series}
              version={version}
              windowMs={span}
              range={{ min: from, max: to }}
              yMax={c.yMax}
              format={c.format}
              label={c.title}
              height={110}
            />
          </div>
        ))}
      </div>
      <div className="rounded-lg border border-line bg-panel p-3">
        <div className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">{t('runsOnHost')}</div>
        <div className="relative h-6" data-testid="host-runs">
          {(runs.data ?? []).map((r) => {
            const left = Math.max(0, (r.start - from) / span);
            const right = Math.min(1, ((r.end ?? to) - from) / span);
            return (
              <Link
                key={r.experimentId}
                href={`/sessions/${encodeURIComponent(r.experimentId)}`}
                title={t('runTitle', { id: r.experimentId, status: isStatus(r.status) ? ts(r.status) : r.status })}
                translate="no"
                className="absolute top-0 h-6 truncate rounded bg-sky-500/30 px-1 text-xs leading-6 hover:bg-sky-500/50"
                style={{ left: `${left * 100}%`, width: `max(${(right - left) * 100}%, 4px)` }}
              >
                {r.experimentId}
              </Link>
            );
          })}
          {runs.data?.length === 0 && <span className="text-xs text-faint">{t('noRuns')}</span>}
        </div>
      </div>
    </section>
  );
}
