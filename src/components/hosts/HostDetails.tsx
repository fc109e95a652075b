'use client';
/** The host's newest sample in full: every core, memory and swap, filesystems, interfaces, GPUs with their processes. */
import type { GpuStats, SystemSample } from '@/shared/systemSample';
import { formatGiB, formatRate } from '../format';
import { scaleColor } from '../fleet/gpuColors';

const n = (v: number | null | undefined, unit: string, digits = 0) =>
  typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)}${unit}` : '–';

function Panel({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-line bg-panel p-3" data-testid={testId}>
      <div className="mb-2 text-xs font-medium uppercase tracking-wide text-muted">{title}</div>
      {children}
    </div>
  );
}

function Gpu({ g }: { g: GpuStats }) {
  const power = g.power_usage !== null && g.power_limit ? Math.min(100, (g.power_usage / g.power_limit) * 100) : null;
  return (
    <div className="rounded-md border border-line p-2 text-sm" data-testid="host-gpu">
      <div className="flex justify-between gap-2">
        <span className="font-medium">GPU {g.gpu_id}</span>
        <span className="truncate text-xs text-muted">{g.gpu_name}</span>
      </div>
      <dl className="mt-1 grid grid-cols-2 gap-x-3 font-mono text-xs tabular-nums">
        <dt className="text-muted">util</dt>
        <dd>{n(g.gpu_util, '%')}</dd>
        <dt className="text-muted">memory</dt>
        <dd>
          {n(g.vram_used, '', 1)} / {n(g.vram_total, ' GiB', 1)}
        </dd>
        <dt className="text-muted">temperature</dt>
        <dd>{n(g.gpu_temp, ' °C')}</dd>
        <dt className="text-muted">power</dt>
        <dd>
          {n(g.power_usage, '')} / {n(g.power_limit, ' W')}
        </dd>
        <dt className="text-muted">fan</dt>
        <dd>{n(g.fan_percent, '%')}</dd>
        <dt className="text-muted">clocks</dt>
        <dd>
          {n(g.clock_sm_mhz, '')} / {n(g.clock_mem_mhz, ' MHz')}
        </dd>
      </dl>
      {power !== null && (
        <div className="mt-1 h-1.5 rounded bg-bg" title="power against its limit">
          <div className="h-1.5 rounded" style={{ width: `${power}%`, background: scaleColor(power, 0, 100) }} />
        </div>
      )}
      {!!g.processes?.length && (
        <table className="mt-2 w-full text-xs">
          <thead className="text-muted">
            <tr>
              <th className="text-left font-normal">pid</th>
              <th className="text-left font-normal">process</th>
              <th className="text-right font-normal">memory</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {g.processes.map((p) => (
              <tr key={p.pid}>
                <td>{p.pid}</td>
                <td className="max-w-40 truncate">{p.name}</td>
                <td className="text-right">{Math.round(p.used_mib)} MiB</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function HostDetails({ sample }: { sample: SystemSample }) {
  const cores = sample.cpu.per_core ?? [];
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <Panel title={`CPU · ${sample.cpu.cpu_count} cores · ${n(sample.cpu.cpu_freq_current, ' MHz')}`} testId="host-cores">
        <div className="flex flex-wrap gap-1">
          {cores.map((v, i) => (
            <div
              key={i}
              title={`core ${i}: ${v.toFixed(0)}%`}
              className="size-5 rounded-sm"
              style={{ background: scaleColor(v, 0, 100) }}
            />
          ))}
        </div>
        <div className="mt-2 font-mono text-xs text-muted">
          load {sample.cpu.load_avg?.map((v) => v.toFixed(2)).join(' · ') ?? '–'}
        </div>
      </Panel>
      <Panel title="Memory" testId="host-memory">
        <div className="font-mono text-sm tabular-nums">
          RAM {formatGiB(sample.memory.ram_used)} / {formatGiB(sample.memory.ram_total)} ({n(sample.memory.ram_percent, '%', 1)})
        </div>
        <div className="font-mono text-sm tabular-nums">
          swap {formatGiB(sample.memory.swap_used)} / {formatGiB(sample.memory.swap_total)}
        </div>
      </Panel>
      <Panel title="Filesystems" testId="host-filesystems">
        <table className="w-full text-sm">
          <tbody className="font-mono text-xs">
            {(sample.disk.filesystems ?? []).map((f) => (
              <tr key={f.mount}>
                <td className="truncate">{f.mount}</td>
                <td className="text-right">
                  {formatGiB(f.used)} / {formatGiB(f.total)}
                </td>
                <td className="w-14 text-right">{n(f.percent, '%')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel title="Network interfaces" testId="host-interfaces">
        <table className="w-full text-sm">
          <tbody className="font-mono text-xs">
            {(sample.network.interfaces ?? []).map((i) => (
              <tr key={i.name}>
                <td>{i.name}</td>
                <td className="text-right">↓ {formatRate(i.recv_bytes_per_s)}</td>
                <td className="text-right">↑ {formatRate(i.sent_bytes_per_s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {sample.gpu.length > 0 && (
        <div className="lg:col-span-2">
          <Panel title={`GPUs · ${sample.gpu.length}`}>
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
