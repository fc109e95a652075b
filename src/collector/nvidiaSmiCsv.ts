/**
 * nvidia-smi's CSV (`--format=csv,noheader,nounits`) for the two queries the collector makes,
 * read into protocol units: MiB become GiB, `[N/A]` and its kin become null.
 */
import type { GpuStats } from '../shared/systemSample';

/** The fields asked of nvidia-smi, in order; the name goes last because it may hold commas. */
const GPU_FIELDS = [
  'index',
  'uuid',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'fan.speed',
  'clocks.sm',
  'clocks.mem',
  'name',
] as const;
const APP_FIELDS = ['gpu_uuid', 'pid', 'used_memory', 'process_name'] as const;

export const GPU_QUERY_ARGS = [`--query-gpu=${GPU_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
export const APPS_QUERY_ARGS = [`--query-compute-apps=${APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A number, or null for `[N/A]`, `[Not Supported]`, `[Unknown Error]` and the like. */
function value(field: string | undefined): number | null {
  if (field === undefined) return null;
  const t = field.trim();
  if (t === '' || t.startsWith('[') || t === 'N/A') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Splits a CSV line into `count` fields, the last one keeping any further commas. */
function splitFields(line: string, count: number): string[] | null {
  const parts = line.split(',');
  if (parts.length < count) return null;
  return [...parts.slice(0, count - 1), parts.slice(count - 1).join(',')].map((p) => p.trim());
}

export interface GpuReading extends GpuStats {
  uuid: string;
}

/** One `--query-gpu` line; null for anything else nvidia-smi prints (errors, warnings). */
export function parseGpuLine(line: string): GpuReading | null {
  const f = splitFields(line, GPU_FIELDS.length);
  if (!f) return null;
  const [index, uuid, util, memUsed, memTotal, temp, power, powerLimit, fan, clockSm, clockMem, name] = f;
  const gpuId = value(index);
  if (gpuId === null || !Number.isInteger(gpuId)) return null;
  const usedMiB = value(memUsed);
  const totalMiB = value(memTotal);
  return {
    gpu_id: gpuId,
    uuid: uuid ?? '',
    gpu_name: name ?? '',
    gpu_util: value(util),
    gpu_temp: value(temp),
    // nvidia-smi reports MiB; the protocol names GiB.
    vram_used: usedMiB === null ? null : round(usedMiB / 1024, 2),
    vram_total: totalMiB === null ? null : round(totalMiB / 1024, 2),
    vram_percent: usedMiB !== null && totalMiB ? round((usedMiB / totalMiB) * 100, 1) : null,
    power_usage: value(power),
    power_limit: value(powerLimit),
    fan_percent: value(fan),
    clock_sm_mhz: value(clockSm),
    clock_mem_mhz: value(clockMem),
  };
}

export interface GpuProcess {
  uuid: string;
  pid: number;
  name: string;
  used_mib: number;
}

export function parseAppLine(line: string): GpuProcess | null {
  const f = splitFields(line, APP_FIELDS.length);
  if (!f) return null;
  const pid = value(f[1]);
  if (pid === null) return null;
  return { uuid: f[0]!, pid, used_mib: value(f[2]) ?? 0, name: f[3]! };
}
