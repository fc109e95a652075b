/** Waiting for a server started elsewhere (a child, a detached process) to answer /health. */
import type { ChildProcess } from 'node:child_process';
import { until } from './until';

/** Resolves once `${url}/health` answers 2xx; fails at once if `child` exits first. */
export async function waitForHealth(url: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const healthy = async () => {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before ${url} answered /health`);
    }
    try {
      return (await fetch(`${url}/health`)).ok;
    } catch {
      return false; // not listening yet
    }
  };
  await until(healthy, `${url}/health to answer`, timeoutMs, undefined, 100);
}
