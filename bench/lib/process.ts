/** Child processes for benchmarks, and their CPU time read from /proc. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../tests/kit/freePort';
import { waitForHealth } from '../../tests/kit/health';
import { stopChild } from '../../tests/kit/processes';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** User and system (kernel) CPU seconds of a process and its reaped children. */
export function cpuTimes(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may contain spaces, start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return { user: (utime! + cutime!) / CLOCK_TICKS, system: (stime! + cstime!) / CLOCK_TICKS };
}

/** CPU seconds of a PostgreSQL server started from `dataDir`: its postmaster and every backend. */
export function postgresCpuSeconds(dataDir: string): number {
  return treeCpuSeconds(Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n', 1)[0]));
}

/** CPU seconds of a process and all its descendants: live ones from their own stat, reaped ones from cutime/cstime. */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  const visit = (p: number) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      return; // exited meanwhile: its time is in its parent's cutime once reaped
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0);
    for (const task of readdirSync(`/proc/${p}/task`)) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of children.trim().split(/\s+/).filter(Boolean)) visit(Number(c));
    }
  };
  visit(pid);
  return ticks / CLOCK_TICKS;
}

/** User + system CPU seconds of a process (and its reaped children). */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** Resident memory of a process in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts the real server (API only) and resolves once /health answers. */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, WEB: 'off', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { url, port, pid: child.pid!, child, stop: () => stopChild(child) };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
