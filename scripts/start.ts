/**
 * `npm start`: builds the web app if its sources changed since the last build, then runs
 * the server, and a collector for this host beside it. Signals are passed on, and the exit
 * code is the server's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import nextEnv from '@next/env';
import { env } from '../src/env';

const root = path.resolve(import.meta.dirname, '..');
const BUILD_INPUTS = ['src', 'messages', 'next.config.ts', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];

function newestMtime(p: string): number {
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === 'generated' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function needsBuild(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((p) => existsSync(path.join(root, p)) && newestMtime(path.join(root, p)) > built);
}

if (needsBuild()) {
  console.log('Building the web app (first start, or its sources changed)...');
  const build = spawnSync('npx', ['next', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});

// One collector for this host, started once the server answers (COLLECTOR=off leaves it out).
let collector: ChildProcess | null = null;
nextEnv.loadEnvConfig(root);
// A bad environment is the server's to report; here it only means no collector.
const config = (() => {
  try {
    return env();
  } catch {
    return null;
  }
})();
if (config?.COLLECTOR === 'on') {
  const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
  void (async () => {
    while (server.exitCode === null && server.signalCode === null) {
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (server.exitCode !== null || server.signalCode !== null) return;
    collector = spawn(process.execPath, [path.join(root, 'bin/cvsm-collector.mjs'), '--server', url], {
      cwd: root,
      stdio: 'inherit',
    });
  })();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    collector?.kill(signal);
    server.kill(signal);
  });
}
server.on('exit', (code, signal) => {
  collector?.kill();
  process.exit(code ?? (signal ? 1 : 0));
});
