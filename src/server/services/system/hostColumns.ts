/**
 * The numbers kept of every host sample, in one fixed order: the typed columns of a raw
 * host_sample row, and the positions of the min/mean/max vectors of the rollup rows.
 *
 * Per GPU values sit in one smallint[] of the raw row (4 per GPU, scaled to integers):
 * one array instead of a row per GPU keeps an 8-GPU host at one row a second, and smallints
 * halve what reals would take (see BENCHMARKS.md, fleet). Per-core loads, mounts,
 * interfaces, fans, clocks and GPU processes are kept as the host's latest sample only
 * (host.latest): charted over weeks they would cost more than everything above together.
 */
import { FLEET_HOST_METRICS as HOST_SCALARS } from '../../../shared/fleetHistory';
import type { SystemSample } from '../../../shared/systemSample';

/** Host-wide values: raw column name = series key (listed in shared code, which charts them too). */
export { HOST_SCALARS };

/** Per GPU values, stored as round(value * scale) in a smallint. Series key gpu<N>_<key>. */
export const GPU_VALUES = [
  { key: 'util', scale: 1 },
  { key: 'vram_percent', scale: 100 },
  { key: 'temp', scale: 1 },
  { key: 'power', scale: 10 },
] as const;

const SMALLINT_MAX = 32767;

export interface HostRow {
  /** Epoch seconds, the sample's whole second. */
  ts: number;
  scalars: (number | null)[];
  /** 4 per GPU, scaled; empty for a host without GPUs. */
  gpu: (number | null)[];
}

const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function hostRow(s: SystemSample): HostRow {
  const swap = s.memory.swap_total && s.memory.swap_total > 0 ? ((s.memory.swap_used ?? 0) * 100) / s.memory.swap_total : null;
  const scalars = [
    s.cpu.cpu_util,
    s.memory.ram_percent,
    swap,
    s.disk.disk_percent,
    s.disk.read_bytes_per_s,
    s.disk.write_bytes_per_s,
    s.network.sent_bytes_per_s,
    s.network.recv_bytes_per_s,
    s.cpu.load_avg?.[0],
  ].map(finite);
  const gpu: (number | null)[] = [];
  for (const g of s.gpu) {
    const values = [g.gpu_util, g.vram_percent, g.gpu_temp, g.power_usage];
    values.forEach((v, i) => {
      const x = finite(v);
      gpu.push(x === null ? null : Math.max(-SMALLINT_MAX, Math.min(SMALLINT_MAX, Math.round(x * GPU_VALUES[i]!.scale))));
    });
  }
  return { ts: Math.floor(Date.parse(s.timestamp) / 1000), scalars, gpu };
}

/** A smallint[] literal for the raw row (NULL for a host without GPUs). */
export function gpuLiteral(gpu: (number | null)[]): string | null {
  return gpu.length === 0 ? null : `{${gpu.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
}

/** How many values a vector of a host with `gpus` GPUs has. */
export const vectorLength = (gpus: number) => HOST_SCALARS.length + gpus * GPU_VALUES.length;

/** The series key of vector position i (0-based); gpuIds names the GPUs in reported order. */
export function seriesKey(i: number, gpuIds: number[]): string {
  if (i < HOST_SCALARS.length) return HOST_SCALARS[i]!;
  const j = i - HOST_SCALARS.length;
  const g = Math.floor(j / GPU_VALUES.length);
  return `gpu${gpuIds[g] ?? g}_${GPU_VALUES[j % GPU_VALUES.length]!.key}`;
}

/**
 * SQL for vector position i (0-based) of a raw second, in the value's own unit: `scalar`
 * names host value columns (a prefix such as `h.`), `gpu` is the second's GPU values as a
 * 1-D array expression (a row's gpu, or the second's row of a folded minute's 2-D array).
 */
export function rawExpression(i: number, scalar = '', gpu = 'gpu'): string {
  if (i < HOST_SCALARS.length) return `${scalar}${HOST_SCALARS[i]!}`;
  const j = i - HOST_SCALARS.length;
  const scale = GPU_VALUES[j % GPU_VALUES.length]!.scale;
  return scale === 1 ? `${gpu}[${j + 1}]::real` : `(${gpu}[${j + 1}]::real / ${scale})`;
}
