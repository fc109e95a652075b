'use client';
/**
 * The host's charts over the chosen range, from the tier that fits it (system.history);
 * a live range is read again every few seconds, so its right end keeps up. Runs on the
 * host are marked on a strip under the charts, on the same time axis.
 */
import Link from 'next/link';
import { useMemo } from 'react';
import type { SystemHistory } from '@/shared/systemSample';
import { api } from '@/trpc/react';
import { PALETTE } from '../charts/chartjs';
import { RollingChart, type RollingSeries } from '../charts/RollingChart';
import { formatRate } from '../format';

const pct = (v: number) => `${Math.round(v)}%`;

function points(h: SystemHistory | undefined, key: string) {
  const s = h?.series[key];
  return s ? s.t.map((t, i) => ({ x: t, y: s.avg[i] ?? null })) : [];
}

export function HostHistory({ host, from, to, live }: { host: string; from: number; to: number; live: boolean }) {
  const history = api.system.history.useQuery(
    { host, from: new Date(from), to: new Date(to), maxPoints: 400 },
    { refetchInterval: live ? 5000 : false, placeholderData: (p) => p },
  );
  const runs = api.system.runs.useQuery({ host, from: new Date(from), to: new Date(to) }, { placeholderData: (p) => p });
  const h = history.data;
  const version = history.dataUpdatedAt + from + to;

  const charts = useMemo(() => {
    const gpuIds = [...new Set(Object.keys(h?.series ?? {}).flatMap((k) => /^gpu(\d+)_util$/.exec(k)?.[1] ?? []))].sort(
      (a, b) => Number(a) - Number(b),
    );
    const line = (key: string, label: string, color: string): RollingSeries => ({ key, label, color, points: points(h, key) });
    const perGpu = (metric: string) =>
      gpuIds.map((id, i) => line(`gpu${id}_${metric}`, `GPU ${id}`, PALETTE[i % PALETTE.length]!));
    const list: { title: string; series: RollingSeries[]; yMax?: number; format: (v: number) => string }[] = [
      {
        title: 'CPU · memory · swap',
        yMax: 100,
        format: pct,
        series: [
          line('cpu_util', 'CPU', '#60a5fa'),
          line('ram_percent', 'Memory', '#a78bfa'),
          line('swap_percent', 'Swap', '#f472b6'),
        ],
      },
      { title: 'Load (1 min)', format: (v) => v.toFixed(2), series: [line('load1', 'load', '#fbbf24')] },
      {
        title: 'Disk',
        format: formatRate,
        series: [line('disk_read_bps', 'read', '#34d399'), line('disk_write_bps', 'write', '#f87171')],
      },
      {
        title: 'Network',
        format: formatRate,
        series: [line('net_recv_bps', 'received', '#22d3ee'), line('net_sent_bps', 'sent', '#fb923c')],
      },
    ];
    if (gpuIds.length) {
      list.push(
        { title: 'GPU utilisation', yMax: 100, format: pct, series: perGpu('util') },
        { title: 'GPU memory', yMax: 100, format: pct, series: perGpu('vram_percent') },
        { title: 'GPU temperature', format: (v) => `${Math.round(v)} °C`, series: perGpu('temp') },
        { title: 'GPU power', format: (v) => `${Math.round(v)} W`, series: perGpu('power') },
      );
    }
    return list;
  }, [h]);

  const span = to - from;
  return (
    <section aria-label="History" className="space-y-3">
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
        <div className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Runs on this host</div>
        <div className="relative h-6" data-testid="host-runs">
          {(runs.data ?? []).map((r) => {
            const left = Math.max(0, (r.start - from) / span);
            const right = Math.min(1, ((r.end ?? to) - from) / span);
            return (
              <Link
                key={r.experimentId}
                href={`/sessions/${encodeURIComponent(r.experimentId)}`}
                title={`${r.experimentId} (${r.status})`}
                className="absolute top-0 h-6 truncate rounded bg-sky-500/30 px-1 text-xs leading-6 hover:bg-sky-500/50"
                style={{ left: `${left * 100}%`, width: `max(${(right - left) * 100}%, 4px)` }}
              >
                {r.experimentId}
              </Link>
            );
          })}
          {runs.data?.length === 0 && <span className="text-xs text-faint">none in this range</span>}
        </div>
      </div>
    </section>
  );
}
