'use client';
import { useTranslations } from 'next-intl';
import { useFormat } from '../useFormat';
import { RollingChart, type RollingSeries } from '../charts/RollingChart';
import type { HostSeries } from './systemSeries';
import { WINDOW_MS } from './useHostSeries';

function Tile({
  title,
  value,
  sub,
  series,
  version,
  yMax,
  format,
  testId,
}: {
  title: string;
  value: string;
  sub?: string;
  series: RollingSeries[];
  version: number;
  yMax?: number;
  format: (v: number) => string;
  testId?: string;
}) {
  const t = useTranslations('host');
  return (
    <div className="min-w-0 rounded-lg border border-line bg-bg/40 p-3" data-testid={testId}>
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-xs font-medium uppercase tracking-wide text-muted">{title}</span>
        <span className="truncate text-[0.7rem] text-faint">{sub}</span>
      </div>
      <div className="mt-0.5 font-mono text-xl font-semibold tabular-nums" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </div>
      <RollingChart
        series={series}
        version={version}
        windowMs={WINDOW_MS}
        yMax={yMax}
        format={format}
        label={t('lastFiveMinutes', { title })}
      />
    </div>
  );
}

export function HostCard({
  host,
  online,
  lastSeenAt,
  data,
  version,
  now,
}: {
  host: string;
  online: boolean;
  lastSeenAt: Date | null;
  data: HostSeries;
  version: number;
  now: number;
}) {
  const t = useTranslations('host');
  const fmt = useFormat();
  const s = data.latest;
  const pct = (v: number) => fmt.percent(v);
  // A tile of one measure: its newest value, and its line over the window.
  const tile = (key: string, title: string, color: string, value: string, format: (v: number) => string) => ({
    title,
    value,
    series: [{ key, label: title, color, points: data.get(key) }],
    version,
    format,
  });
  const percent = (key: string, title: string, color: string, latest: number | null | undefined, digits?: number) => ({
    ...tile(key, title, color, fmt.percent(latest, digits), pct),
    yMax: 100,
  });
  const cpuFreq = s ? fmt.measure(s.cpu.cpu_freq_current / 1000, 'GHz', 2) : undefined;
  const ramUsed = s ? `${fmt.gib(s.memory.ram_used)} / ${fmt.gib(s.memory.ram_total)}` : undefined;
  const diskUsed = s ? `${fmt.gib(s.disk.disk_used)} / ${fmt.gib(s.disk.disk_total)}` : undefined;
  return (
    <section
      aria-label={t('label', { host })}
      data-testid="host-card"
      data-host={host}
      className="rounded-xl border border-line bg-panel p-4 shadow-sm"
    >
      <header className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-mono text-base font-semibold" translate="no">
          {host}
        </h3>
        <span
          data-testid="host-online"
          className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
            online
              ? 'bg-emerald-500/15 text-emerald-700 ring-emerald-500/40 dark:text-emerald-300'
              : 'bg-zinc-500/15 text-zinc-600 ring-zinc-500/30 dark:text-zinc-400'
          }`}
        >
          <span className={`h-1.5 w-1.5 rounded-full ${online ? 'bg-emerald-500' : 'bg-zinc-500'}`} />
          {online ? t('online') : t('offline')}
        </span>
        {s && (
          <span className="text-xs text-muted">
            {[
              t('cores', { count: s.cpu.cpu_count }),
              s.cpu.load_avg && t('load', { values: s.cpu.load_avg.map((l) => fmt.decimal(l, 2)).join(' ') }),
              s.gpu.length > 0 && t('gpus', { count: s.gpu.length }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        )}
        <span className="ml-auto text-xs text-faint">{t('seen', { ago: fmt.ago(lastSeenAt, now) })}</span>
      </header>

      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Tile testId="cpu" {...percent('cpu_util', t('cpu'), '#60a5fa', s?.cpu.cpu_util, 1)} sub={cpuFreq} />
        <Tile testId="ram" {...percent('ram_percent', t('memory'), '#a78bfa', s?.memory.ram_percent, 1)} sub={ramUsed} />
        <Tile testId="disk" {...percent('disk_percent', t('disk'), '#fbbf24', s?.disk.disk_percent, 1)} sub={diskUsed} />
        <Tile
          testId="net"
          title={t('network')}
          value={`↓ ${fmt.rate(s?.network.recv_bytes_per_s)}`}
          sub={`↑ ${fmt.rate(s?.network.sent_bytes_per_s)}`}
          series={[
            { key: 'net_recv_bps', label: t('received'), color: '#34d399', points: data.get('net_recv_bps') },
            { key: 'net_sent_bps', label: t('sent'), color: '#f472b6', points: data.get('net_sent_bps') },
          ]}
          version={version}
          format={fmt.rate}
        />
      </div>

      {s?.gpu.map((g) => {
        const id = g.gpu_id;
        const vramGiB = (mib: number | null) => (mib === null ? null : mib / 1024);
        return (
          <div key={id} className="mt-4" data-testid="gpu">
            <div className="mb-2 flex items-baseline gap-2 text-sm">
              <span className="font-semibold">{t('gpu', { id })}</span>
              <span className="text-muted" translate="no">
                {g.gpu_name}
              </span>
              {g.processes?.length ? (
                <span className="text-xs text-faint">· {t('processes', { count: g.processes.length })}</span>
              ) : null}
            </div>
            <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
              <Tile
                {...percent(`gpu${id}_util`, t('utilisation'), '#34d399', g.gpu_util)}
                sub={g.clock_sm_mhz ? fmt.measure(g.clock_sm_mhz, 'MHz') : undefined}
              />
              <Tile
                {...percent(`gpu${id}_vram_percent`, t('gpuMemory'), '#a78bfa', g.vram_percent)}
                sub={`${fmt.gib(vramGiB(g.vram_used))} / ${fmt.gib(vramGiB(g.vram_total))}`}
              />
              <Tile
                {...tile(`gpu${id}_temp`, t('temperature'), '#fb923c', fmt.measure(g.gpu_temp, '°C'), (v) =>
                  fmt.measure(v, '°C'),
                )}
                sub={g.fan_percent != null ? t('fan', { percent: fmt.percent(g.fan_percent) }) : undefined}
              />
              <Tile
                {...tile(`gpu${id}_power`, t('power'), '#f87171', fmt.watts(g.power_usage), fmt.watts)}
                sub={g.power_limit ? t('powerLimit', { watts: fmt.watts(g.power_limit) }) : undefined}
                yMax={g.power_limit ?? undefined}
              />
            </div>
          </div>
        );
      })}
    </section>
  );
}
