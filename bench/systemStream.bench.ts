/**
 * `npm run bench -- systemStream`: period and jitter of the 1 Hz system stream
 * (/api/v1/ws/system) as 100 plain sockets receive it over BENCH_SECONDS (default 60), with
 * the real server and a real collector (the bundled `cvsm-collector`) as child processes.
 * Beside it, in the same run, the baseline: a bare `setInterval(1000)` in a child process
 * broadcasting one frame to 100 sockets. Jitter is each interval's distance from 1000 ms.
 * Goal: mean period within 1000 ± 5 ms.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import WebSocket, { WebSocketServer } from 'ws';
import { stopChild } from '../tests/kit/processes';
import { withBenchServer } from './lib/benchServer';
import { percentile, ROOT } from './lib/process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 100);
const HOST = 'bench-host';

/** The baseline child: a bare 1 s interval timer sending one frame to every socket. */
function baselineServer(): void {
  const server = http.createServer((_req, res) => void res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  setInterval(() => {
    const frame = JSON.stringify({ type: 'system_stats', data: { host: 'baseline', timestamp: new Date().toISOString() } });
    for (const client of wss.clients) client.send(frame);
  }, 1000);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${port}\n`);
  });
}

interface Received {
  /** Receive times (performance.now()) of each socket's frames. */
  times: number[][];
  /** Receive wall time minus the sample's own timestamp (the second it was taken), ms. */
  delays: number[];
}

/** Opens `SOCKETS` sockets, waits for the first frame on each, then records frames for SECONDS. */
async function receive(url: string, host: string): Promise<Received> {
  const sockets: WebSocket[] = [];
  const times: number[][] = Array.from({ length: SOCKETS }, () => []);
  const delays: number[] = [];
  let recording = false;
  let firstFrames = 0;
  let allFlowing!: () => void;
  const flowing = new Promise<void>((resolve) => (allFlowing = resolve));
  try {
    await Promise.all(
      Array.from({ length: SOCKETS }, (_, i) => {
        const ws = new WebSocket(url);
        sockets.push(ws);
        let seen = false;
        ws.on('message', (raw) => {
          const at = performance.now();
          const frame = JSON.parse(raw.toString()) as { type: string; data?: { host?: string; timestamp?: string } };
          if (frame.type !== 'system_stats' || frame.data?.host !== host) return;
          if (!seen) {
            seen = true;
            if (++firstFrames === SOCKETS) allFlowing();
          }
          if (!recording) return;
          times[i]!.push(at);
          delays.push(Date.now() - Date.parse(frame.data.timestamp!));
        });
        return new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
      }),
    );
    await flowing;
    recording = true;
    await new Promise((r) => setTimeout(r, SECONDS * 1000 + 500));
    recording = false;
    return { times, delays };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

interface Figures {
  frames: number;
  meanPeriod: number;
  p50: number;
  p99: number;
  max: number;
  /** Intervals over 1.5 s: a tick missed or delivered late. */
  gaps: number;
}

function figures({ times }: Received): Figures {
  const jitter: number[] = [];
  let spanSum = 0;
  let intervals = 0;
  let gaps = 0;
  for (const t of times) {
    for (let i = 1; i < t.length; i++) {
      const d = t[i]! - t[i - 1]!;
      jitter.push(Math.abs(d - 1000));
      if (d > 1500) gaps++;
    }
    if (t.length > 1) {
      spanSum += t.at(-1)! - t[0]!;
      intervals += t.length - 1;
    }
  }
  jitter.sort((a, b) => a - b);
  return {
    frames: times.reduce((n, t) => n + t.length, 0),
    meanPeriod: spanSum / intervals,
    p50: percentile(jitter, 50),
    p99: percentile(jitter, 99),
    max: jitter.at(-1) ?? Number.NaN,
    gaps,
  };
}

async function measureBaseline(): Promise<Figures> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--baseline'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = await Promise.race([
      createInterface({ input: child.stdout! })
        [Symbol.asyncIterator]()
        .next()
        .then((r) => [r.value as string]),
      new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)))),
    ]);
    return figures(await receive(`ws://127.0.0.1:${Number(line)}`, 'baseline'));
  } finally {
    await stopChild(child);
  }
}

async function measureServer(): Promise<{ figures: Figures; delays: number[] }> {
  // The server's own collector is left out: the one started here is the only host.
  return withBenchServer({ COLLECTOR: 'off' }, async (server) => {
    const collector = spawn(
      process.execPath,
      // On the whole second (--phase 0), so "delivery after the sampled second" is the pipeline's time alone.
      [path.join(ROOT, 'bin/cvsm-collector.mjs'), '--server', server.url, '--host', HOST, '--phase', '0'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    try {
      const received = await receive(`${server.url.replace('http', 'ws')}/api/v1/ws/system`, HOST);
      return { figures: figures(received), delays: received.delays.sort((a, b) => a - b) };
    } finally {
      await stopChild(collector);
    }
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--baseline')) return baselineServer();
  console.log(`${SOCKETS} sockets, ${SECONDS} s each, one after the other (baseline first)`);
  const baseline = await measureBaseline();
  const { figures: stream, delays } = await measureServer();

  const row = (what: string, f: Figures) =>
    `${what.padEnd(34)} ${f.meanPeriod.toFixed(2).padStart(8)} ms ${f.p50.toFixed(1).padStart(7)} ms ${f.p99.toFixed(1).padStart(7)} ms ${f.max.toFixed(1).padStart(7)} ms ${String(f.frames).padStart(7)} ${String(f.gaps).padStart(5)}`;
  console.log(
    `\n${''.padEnd(34)} ${'period'.padStart(11)} ${'jitter p50'.padStart(10)} ${'p99'.padStart(10)} ${'max'.padStart(10)} ${'frames'.padStart(7)} ${'gaps'.padStart(5)}`,
  );
  console.log(row('/api/v1/ws/system (collector)', stream));
  console.log(row('baseline: bare setInterval(1000)', baseline));
  console.log(
    `\njitter ratio stream / baseline: p50 ${(stream.p50 / baseline.p50).toFixed(1)}x, p99 ${(stream.p99 / baseline.p99).toFixed(1)}x`,
  );
  console.log(
    `delivery after the sampled second: p50 ${percentile(delays, 50).toFixed(0)} ms, p99 ${percentile(delays, 99).toFixed(0)} ms, max ${(delays.at(-1) ?? Number.NaN).toFixed(0)} ms`,
  );
  const met = Math.abs(stream.meanPeriod - 1000) <= 5;
  console.log(`goal: mean period within 1000 ± 5 ms: ${met ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
