/** Stopping processes and waiting for them to go: children of this process, and others by pid. */
import type { ChildProcess } from 'node:child_process';
import { until } from './until';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves with how `child` exited, at once if it already has. */
export function exited(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve({ code: child.exitCode, signal: child.signalCode })
      : child.once('exit', (code, signal) => resolve({ code, signal })),
  );
}

/** Sends `signal` (SIGTERM: as a service manager stops it) and resolves with how the child exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  const exit = exited(child);
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  return exit;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to a process that is not our child (its exit cannot be awaited, only seen gone);
 * SIGKILL if it is still there after `timeoutMs`.
 */
export async function stopPid(pid: number, timeoutMs = 20_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  try {
    await until(() => !alive(pid), `process ${pid} to exit`, timeoutMs, undefined, 100);
  } catch {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
}
