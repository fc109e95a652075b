/**
 * NVIDIA GPUs, read from one long-lived `nvidia-smi ... -lms 1000` process whose CSV lines
 * are parsed as they arrive: one process for the collector's life instead of one per tick.
 * If it dies it is started again with backoff; with no nvidia-smi at all the GPU list is
 * simply empty. Per-process memory comes from a separate, short `--query-compute-apps`
 * call every few seconds, only while GPUs are present.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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

/** Whether `command` names an executable file, directly or in one of PATH's folders. */
export function onPath(command: string, pathVar = ''): boolean {
  const candidates = command.includes('/')
    ? [command]
    : pathVar
        .split(':')
        .filter(Boolean)
        .map((dir) => join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface GpuMonitorOptions {
  /** The executable; default `nvidia-smi` found on PATH. */
  command?: string;
  /** Environment of the child processes (PATH decides which nvidia-smi runs). */
  env?: NodeJS.ProcessEnv;
  intervalMs?: number;
  processesEveryMs?: number;
  /** First restart delay after nvidia-smi dies; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** A reading older than this means nvidia-smi stopped answering: report no GPUs rather than stale ones. */
const STALE_AFTER_MS = 3_000;
/** nvidia-smi prints all GPUs of one round together; a pause this long ends the round. */
const ROUND_QUIET_MS = 150;
const HEALTHY_RUN_MS = 30_000;

export class GpuMonitor {
  /** How many times nvidia-smi was started (1 + restarts). */
  starts = 0;
  private child: ChildProcess | null = null;
  private round = new Map<number, GpuReading>();
  private current: GpuReading[] = [];
  private currentAt = 0;
  private roundTimer: NodeJS.Timeout | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private appsTimer: NodeJS.Timeout | null = null;
  private processes: GpuProcess[] = [];
  private backoff: number;
  private stopped = false;
  private readonly roundListeners = new Set<() => void>();
  private readonly command: string;
  private readonly opts: Required<Omit<GpuMonitorOptions, 'command' | 'env'>> & { env?: NodeJS.ProcessEnv };

  constructor(options: GpuMonitorOptions = {}) {
    this.command = options.command ?? 'nvidia-smi';
    this.opts = {
      env: options.env,
      intervalMs: options.intervalMs ?? 1000,
      processesEveryMs: options.processesEveryMs ?? 5000,
      backoffMs: options.backoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
    };
    this.backoff = this.opts.backoffMs;
  }

  start(): void {
    this.stopped = false;
    this.spawnSmi();
    this.appsTimer = setInterval(() => this.pollProcesses(), this.opts.processesEveryMs);
    this.appsTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    for (const t of [this.roundTimer, this.restartTimer]) if (t) clearTimeout(t);
    if (this.appsTimer) clearInterval(this.appsTimer);
    this.child?.kill();
    this.child = null;
  }

  /** The GPUs of nvidia-smi's latest complete round, with their processes; [] if none or stale. */
  snapshot(now = Date.now()): GpuStats[] {
    if (now - this.currentAt > STALE_AFTER_MS) return [];
    return this.current.map(({ uuid, ...gpu }) => ({
      ...gpu,
      processes: this.processes.filter((p) => p.uuid === uuid).map(({ pid, name, used_mib }) => ({ pid, name, used_mib })),
    }));
  }

  /** Resolves after the next complete round of readings (for tests and start-up). */
  nextRound(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.roundListeners.delete(done);
        resolve();
      };
      this.roundListeners.add(done);
    });
  }

  private spawnSmi(): void {
    if (this.stopped) return;
    // Forking a Node process costs milliseconds; on a host without GPUs, look before spawning.
    if (!onPath(this.command, (this.opts.env ?? process.env).PATH)) {
      this.scheduleRestart();
      return;
    }
    this.starts++;
    let child: ChildProcess;
    try {
      child = spawn(this.command, [...GPU_QUERY_ARGS, '-lms', String(this.opts.intervalMs)], {
        env: this.opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      this.scheduleRestart();
      return;
    }
    this.child = child;
    const startedAt = Date.now();
    // A spawn failure (not executable after all) ends in 'close' too, and is retried with backoff.
    child.on('error', () => {});
    child.on('close', () => {
      if (this.child === child) this.child = null;
      // A process that ran a good while died of something passing: restart it soon.
      if (Date.now() - startedAt > HEALTHY_RUN_MS) this.backoff = this.opts.backoffMs;
      this.endRound();
      this.scheduleRestart();
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => this.onLine(line));
  }

  private scheduleRestart(): void {
    if (this.stopped || this.restartTimer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.spawnSmi();
    }, delay);
    this.restartTimer.unref();
  }

  private onLine(line: string): void {
    const reading = parseGpuLine(line);
    if (!reading) return;
    // An index seen already in this round starts the next round.
    if (this.round.has(reading.gpu_id)) this.endRound();
    this.round.set(reading.gpu_id, reading);
    if (this.roundTimer) clearTimeout(this.roundTimer);
    this.roundTimer = setTimeout(() => this.endRound(), ROUND_QUIET_MS);
    this.roundTimer.unref();
  }

  private endRound(): void {
    if (this.roundTimer) clearTimeout(this.roundTimer);
    this.roundTimer = null;
    if (this.round.size === 0) return;
    // A GPU missing from the round (fallen off the bus, driver reset) is gone from the list.
    this.current = [...this.round.values()].sort((a, b) => a.gpu_id - b.gpu_id);
    this.currentAt = Date.now();
    this.round = new Map();
    for (const listener of [...this.roundListeners]) listener();
  }

  private pollProcesses(): void {
    if (this.stopped || this.current.length === 0) {
      this.processes = [];
      return;
    }
    execFile(this.command, APPS_QUERY_ARGS, { env: this.opts.env ?? process.env, timeout: 4000 }, (error, stdout) => {
      if (this.stopped) return;
      this.processes = error
        ? []
        : stdout
            .split('\n')
            .map(parseAppLine)
            .filter((p): p is GpuProcess => p !== null);
    });
  }
}
