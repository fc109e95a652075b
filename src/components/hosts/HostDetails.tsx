'use client';
/** The host's newest sample in full: every core, memory and swap, filesystems, interfaces, GPUs with their processes. */
import { useTranslations } from 'next-intl';
import type { GpuStats, SystemSample } from '@/shared/systemSample';
import { scaleColor } from '../fleet/gpuColors';
import { columns, TableHead } from '../TableHead';
import { useFormat } from '../useFormat';

function Panel({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-line bg-panel p-3" data-testid={testId}>
      <div className="mb-2 text-xs font-medium uppercase tracking-wide text-muted">{title}</div>
      {children}
    </div>
  );
}

/** A panel of table rows in small monospace (mounts, interfaces). */
function RowsPanel({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <Panel title={title} testId={testId}>
      <table className="w-full text-sm">
        <tbody className="font-mono text-xs">{children}</tbody>
      </table>
    </Panel>
  );
}

function Gpu({ g }: { g: GpuStats }) {
  const t = useTranslations('hostPage.gpu');
  const th = useTranslations('host');
  const fmt = useFormat();
  const power = g.power_usage !== null && g.power_limit ? Math.min(100, (g.power_usage / g.power_limit) * 100) : null;
  return (
    <div className="rounded-md border border-line p-2 text-sm" data-testid="host-gpu">
      <div className="flex justify-between gap-2">
        <span className="font-medium">{th('gpu', { id: g.gpu_id })}</span>
        <span className="truncate text-xs text-muted" translate="no">
          {g.gpu_name}
        </span>
      </div>
      <dl className="mt-1 grid grid-cols-2 gap-x-3 font-mono text-xs tabular-nums">
        <dt className="text-muted">{t('util')}</dt>
        <dd>{fmt.percent(g.gpu_util)}</dd>
        <dt className="text-muted">{t('memory')}</dt>
        <dd>
          {fmt.decimal(g.vram_used, 1)} / {fmt.measure(g.vram_total, 'GiB', 1)}
        </dd>
        <dt className="text-muted">{t('temperature')}</dt>
        <dd>{fmt.measure(g.gpu_temp, '°C')}</dd>
        <dt className="text-muted">{t('power')}</dt>
        <dd>
          {fmt.decimal(g.power_usage, 0)} / {fmt.measure(g.power_limit, 'W')}
        </dd>
        <dt className="text-muted">{t('fan')}</dt>
        <dd>{fmt.percent(g.fan_percent)}</dd>
        <dt className="text-muted">{t('clocks')}</dt>
        <dd>
          {fmt.decimal(g.clock_sm_mhz, 0)} / {fmt.measure(g.clock_mem_mhz, 'MHz')}
        </dd>
      </dl>
      {power !== null && (
        <div className="mt-1 h-1.5 rounded bg-bg" title={t('powerBar')}>
          <div className="h-1.5 rounded" style={{ width: `${power}%`, background: scaleColor(power, 0, 100) }} />
        </div>
      )}
      {!!g.processes?.length && (
        <table className="mt-2 w-full text-xs">
          <TableHead
            className="text-muted"
            cols={[
              ...columns('text-left font-normal', t('pid'), t('process')),
              { label: t('memory'), className: 'text-right font-normal' },
            ]}
          />
          <tbody className="font-mono">
            {g.processes.map((p) => (
              <tr key={p.pid}>
                <td>{p.pid}</td>
                <td className="max-w-40 truncate" translate="no">
                  {p.name}
                </td>
                <td className="text-right">{fmt.measure(p.used_mib, 'MiB')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function HostDetails({ sample }: { sample: SystemSample }) {
  const t = useTranslations('hostPage');
  const th = useTranslations('host');
  const fmt = useFormat();
  const cores = sample.cpu.per_core ?? [];
  const { memory } = sample;
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <Panel
        title={t('cpuTitle', { count: sample.cpu.cpu_count, freq: fmt.measure(sample.cpu.cpu_freq_current, 'MHz') })}
        testId="host-cores"
      >
        <div className="flex flex-wrap gap-1">
          {cores.map((v, i) => (
            <div
              key={i}
              title={t('core', { id: i, util: fmt.percent(v) })}
              className="size-5 rounded-sm"
              style={{ background: scaleColor(v, 0, 100) }}
            />
          ))}
        </div>
        <div className="mt-2 font-mono text-xs text-muted">
          {th('load', { values: sample.cpu.load_avg?.map((v) => fmt.decimal(v, 2)).join(' · ') ?? fmt.decimal(null, 2) })}
        </div>
      </Panel>
      <Panel title={t('memory')} testId="host-memory">
        <div className="font-mono text-sm tabular-nums">
          {t('ram', {
            used: fmt.gib(memory.ram_used),
            total: fmt.gib(memory.ram_total),
            percent: fmt.percent(memory.ram_percent, 1),
          })}
        </div>
        <div className="font-mono text-sm tabular-nums">
          {t('swap', { used: fmt.gib(memory.swap_used), total: fmt.gib(memory.swap_total) })}
        </div>
      </Panel>
      <RowsPanel title={t('filesystems')} testId="host-filesystems">
        {(sample.disk.filesystems ?? []).map((f) => (
          <tr key={f.mount}>
            <td className="truncate" translate="no">
              {f.mount}
            </td>
            <td className="text-right">
              {fmt.gib(f.used)} / {fmt.gib(f.total)}
            </td>
            <td className="w-14 text-right">{fmt.percent(f.percent)}</td>
          </tr>
        ))}
      </RowsPanel>
      <RowsPanel title={t('interfaces')} testId="host-interfaces">
        {(sample.network.interfaces ?? []).map((i) => (
          <tr key={i.name}>
            <td translate="no">{i.name}</td>
            <td className="text-right">↓ {fmt.rate(i.recv_bytes_per_s)}</td>
            <td className="text-right">↑ {fmt.rate(i.sent_bytes_per_s)}</td>
          </tr>
        ))}
      </RowsPanel>
      {sample.gpu.length > 0 && (
        <div className="lg:col-span-2">
          <Panel title={t('gpus', { count: fmt.count(sample.gpu.length) })}>
            <div className="grid gap-2 sm:grid-cols-2 xl:grid-cols-4">
              {sample.gpu.map((g) => (
                <Gpu key={g.gpu_id} g={g} />
              ))}
            </div>
          </Panel>
        </div>
      )}
    </div>
  );
}
