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
import { APPS_QUERY_ARGS, GPU_QUERY_ARGS, parseAppLine, parseGpuLine, type GpuProcess, type GpuReading } from './nvidiaSmiCsv';

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
/**
 * A GPU whose used memory moves this much (GiB) between rounds has gained or lost a process:
 * its process list is asked for at once, not at the next slow poll (on a real H200 the list
 * otherwise lagged a starting or ended training run by up to five seconds).
 */
const PROCESS_MEMORY_STEP_GIB = 0.25;

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
  private processesInFlight = false;
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
    const previous = this.current;
    this.current = [...this.round.values()].sort((a, b) => a.gpu_id - b.gpu_id);
    if (previous.length > 0 && memoryMoved(previous, this.current)) this.pollProcesses();
    this.currentAt = Date.now();
    this.round = new Map();
    for (const listener of [...this.roundListeners]) listener();
  }

  private pollProcesses(): void {
    if (this.stopped || this.current.length === 0) {
      this.processes = [];
      return;
    }
    if (this.processesInFlight) return;
    this.processesInFlight = true;
    execFile(this.command, APPS_QUERY_ARGS, { env: this.opts.env ?? process.env, timeout: 4000 }, (error, stdout) => {
      this.processesInFlight = false;
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

/** Whether any GPU's used memory moved by a process's worth between two rounds. */
function memoryMoved(before: GpuReading[], after: GpuReading[]): boolean {
  return after.some((gpu) => {
    const was = before.find((b) => b.uuid === gpu.uuid)?.vram_used ?? null;
    return was === null || gpu.vram_used === null
      ? was !== gpu.vram_used
      : Math.abs(gpu.vram_used - was) >= PROCESS_MEMORY_STEP_GIB;
  });
}
