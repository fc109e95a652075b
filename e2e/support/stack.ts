/**
 * The app the browser tests run against: an embedded PostgreSQL, the server (production
 * build) and the collector, as separate processes. Their pids and addresses sit in a state
 * file, so a test (in a worker process) can restart the server and the teardown can stop
 * whatever is running at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitForHealth } from '../../tests/kit/health';
import { stopPid } from '../../tests/kit/processes';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS = path.join(ROOT, 'e2e/results');
export const SCREENSHOTS = path.join(RESULTS, 'screenshots');
const STATE = path.join(RESULTS, 'stack.json');

export interface StackState {
  url: string;
  port: number;
  databaseUrl: string;
  serverPid: number;
  collectorPid: number;
}

export const readState = (): StackState => JSON.parse(readFileSync(STATE, 'utf8')) as StackState;
export const writeState = (s: StackState) => writeFileSync(STATE, JSON.stringify(s, null, 2));

function newest(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of readdirSync(p)) if (e !== 'generated' && !e.endsWith('.test.ts')) n = Math.max(n, newest(path.join(p, e)));
  return n;
}

/** `next build` when the web app's sources are newer than the last build (as `npm start` does). */
export function ensureBuild(): void {
  const id = path.join(ROOT, '.next/BUILD_ID');
  const inputs = ['src', 'messages', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'].map((p) =>
    path.join(ROOT, p),
  );
  if (existsSync(id) && inputs.every((p) => !existsSync(p) || newest(p) <= statSync(id).mtimeMs)) return;
  const r = spawnSync('npx', ['next', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error('next build failed');
}

/** Starts a detached process (it outlives the worker that started it), output to a log file. */
function launch(args: string[], env: Record<string, string>, log: string): number {
  mkdirSync(RESULTS, { recursive: true });
  const out = openSync(path.join(RESULTS, log), 'a');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  child.unref();
  return child.pid!;
}

export async function startServer(port: number, databaseUrl: string): Promise<number> {
  const pid = launch(
    ['--import', 'tsx', 'server.ts'],
    { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    'server.log',
  );
  await waitForHealth(`http://127.0.0.1:${port}`);
  return pid;
}

export function startCollector(url: string): number {
  return launch(['bin/cvsm-collector.mjs', '--server', url], {}, 'collector.log');
}

/** Stops the server and starts it again on the same port and database. */
export async function restartServer(): Promise<void> {
  const s = readState();
  await stopPid(s.serverPid);
  const serverPid = await startServer(s.port, s.databaseUrl);
  writeState({ ...s, serverPid });
}
