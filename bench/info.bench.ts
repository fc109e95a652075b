/**
 * /info throughput: GET /api/v1/training/logs/{id}/info with a read key (keys required, the
 * rate limit off), from autocannon with keep-alive, against a baseline server written here
 * (plain node:http + pg, one SELECT per request, no authentication) on the same database,
 * in the same run. What one instance serves decides the default RATE_LIMIT_PER_SECOND,
 * which must stay below it so that one key cannot saturate the server; a second run with
 * the defaults shows the limit answering 429 instead.
 * BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 32) shape the load.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { parseEnv } from '../src/env';
import { stopChild } from '../tests/kit/processes';
import { benchDatabase } from './lib/database';
import { cpuSeconds, ROOT, startServer } from './lib/process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Run {
  perSecond: number;
  okPerSecond: number;
  limited: number;
  p50: number;
  p99: number;
  serverCpuPct: number;
}

async function load(url: string, pid: number, headers: Record<string, string> = {}, seconds = SECONDS): Promise<Run> {
  const cpu0 = cpuSeconds(pid);
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  const cpu = cpuSeconds(pid) - cpu0;
  const limited = result.statusCodeStats?.['429' as keyof typeof result.statusCodeStats]?.count ?? 0;
  return {
    perSecond: result.requests.average,
    okPerSecond: result['2xx'] / seconds,
    limited,
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverCpuPct: (cpu / seconds) * 100,
  };
}

/** A key made with the CLI, as an operator would; its line is the one starting with cvsm_. */
function createKey(databaseUrl: string, name: string, scope: 'read' | 'write'): string {
  const created = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/keys.ts', 'create', '--name', name, '--scope', scope],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
    },
  );
  return /cvsm_[\w-]+/.exec(created)![0];
}

async function main() {
  const db = await benchDatabase();
  const experimentId = 'info-bench';
  const key = createKey(db.url, 'bench', 'read');
  const writer = await startServer(db.url);
  await fetch(`${writer.url}/api/v1/training/logs/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': createKey(db.url, 'w', 'write') },
    body: JSON.stringify({ experiment_id: experimentId, config: { lr: 0.01, batch: 16 }, total_epochs: 100 }),
  });
  await writer.stop();

  const baseline = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lib/baselineInfoServer.ts')], {
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const basePort = await new Promise<number>((resolve) =>
    baseline.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))),
  );
  const infoPath = `/api/v1/training/logs/${experimentId}/info`;
  const auth = { 'x-api-key': key };
  const unlimited = await startServer(db.url, { RATE_LIMIT_PER_SECOND: '0' });
  try {
    // Warm both up (JIT, connection pools), then measure.
    await autocannon({ url: `http://127.0.0.1:${basePort}${infoPath}`, connections: 8, duration: 2 });
    await autocannon({ url: `${unlimited.url}${infoPath}`, headers: auth, connections: 8, duration: 2 });
    const base = await load(`http://127.0.0.1:${basePort}${infoPath}`, baseline.pid!);
    const ours = await load(`${unlimited.url}${infoPath}`, unlimited.pid, auth);
    await unlimited.stop();

    const defaults = parseEnv({});
    const limitedServer = await startServer(db.url);
    // Past the burst, so the steady rate is what is measured.
    const withDefault = await load(`${limitedServer.url}${infoPath}`, limitedServer.pid, auth, SECONDS);
    await limitedServer.stop();

    const line = (name: string, r: Run) =>
      `${name.padEnd(40)} ${r.perSecond.toFixed(0).padStart(8)} ${r.okPerSecond.toFixed(0).padStart(8)} ${String(r.limited).padStart(7)}  ${String(r.p50).padStart(6)}  ${String(r.p99).padStart(6)}  ${r.serverCpuPct.toFixed(0).padStart(5)}%`;
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each`);
    console.log('server                                      req/s    200/s     429  p50 ms  p99 ms  server CPU');
    console.log(line('baseline (node:http + pg SELECT)', base));
    console.log(line('CV Studio Monitor /info, no rate limit', ours));
    console.log(line(`same, default limit (${defaults.RATE_LIMIT_PER_SECOND}/s)`, withDefault));
    console.log(`\nratio: ${(ours.perSecond / base.perSecond).toFixed(2)} of the baseline`);
    const margin = defaults.RATE_LIMIT_PER_SECOND / ours.perSecond;
    console.log(
      `default RATE_LIMIT_PER_SECOND ${defaults.RATE_LIMIT_PER_SECOND} is ${margin.toFixed(2)} of what one instance serves (goal < 1)`,
    );
  } finally {
    await stopChild(baseline);
    await db.close();
  }
}

await main();
