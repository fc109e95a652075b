/**
 * `npm run bench -- soak`: the server under steady load for SOAK_SECONDS (default 600):
 * 1,000 events/s from several SDK runs, 100 live tRPC subscribers (each its own socket),
 * and a collector reporting this host once a second. Every 30 s it prints the delivery
 * latency (from the SDK call to a subscriber receiving the event: p50, p99, max) and the
 * server's RSS; at the end, whether memory stayed flat and whether every subscriber
 * received every event.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../src/server/api/root';
import { TRPC_WS_PATH } from '../src/server/app';
import { createMonitor, type Run } from '../src/sdk';
import type { SessionStreamItem } from '../src/shared/types';
import { stopChild } from '../tests/kit/processes';
import { benchDatabase } from './lib/database';
import { percentile, ROOT, rssMiB, startServer } from './lib/process';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const EVENTS_PER_SECOND = 1000;
const RUNS = 4;
const SUBSCRIBERS = 100;
const REPORT_EVERY_S = 30;
const TICK_MS = 40;
// Memory counts as flat when the last report is within this much of the first one after
// warm-up (the first report: caches, pools and JIT have grown by then).
const FLAT_SLACK_MIB = 40;

interface SubscriberReport {
  /** Delivery latencies (ms) of the lines received since the last 'window' question. */
  latencies: number[];
  /** Lines received so far, per subscriber. */
  received: number[];
}

/** The child: SUBSCRIBERS sockets, spread over the runs; answers its parent's questions. */
async function subscribe(url: string, runIds: string[]): Promise<void> {
  let latencies: number[] = [];
  const received = new Array<number>(SUBSCRIBERS).fill(0);
  const sockets: ReturnType<typeof createWSClient>[] = [];
  await Promise.all(
    Array.from({ length: SUBSCRIBERS }, (_, s) => {
      // A socket of its own for each, as browsers would have.
      const socket = createWSClient({
        url: `${url.replace(/^http/, 'ws')}${TRPC_WS_PATH}`,
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      });
      sockets.push(socket);
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] });
      return new Promise<void>((resolve) =>
        client.session.events.subscribe(
          { experimentId: runIds[s % runIds.length]! },
          {
            onStarted: () => resolve(),
            onData: ({ data }: { data: SessionStreamItem }) => {
              if (data.kind !== 'events') return;
              const now = Date.now();
              for (const event of data.events) {
                if (event.type !== 'log') continue;
                received[s]!++;
                // The line names the moment the trainer logged it.
                latencies.push(now - Number(event.data.message.slice(event.data.message.lastIndexOf(' ') + 1)));
              }
            },
            onError: (error) => console.error(`subscriber ${s}:`, error.message),
          },
        ),
      );
    }),
  );
  process.on('message', (question) => {
    const report: SubscriberReport = { latencies: question === 'window' ? latencies : [], received };
    if (question === 'window') latencies = [];
    process.send!(report);
  });
  process.on('SIGTERM', () => {
    for (const socket of sockets) void socket.close();
    process.exit(0);
  });
  process.send!('started');
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  const server = await startServer(db.url);
  const collector = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/cvsm-collector.mjs'), '--server', server.url, '--host', 'soak-host'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );

  const monitor = createMonitor({ url: server.url, handleProcessExit: false, onError: (e) => console.error('sdk:', e.message) });
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await monitor.startRun({ experimentId: `soak-${process.pid}-${r}`, totalEpochs: 1 }));

  // The subscribers run in a process of their own, so decoding 100 streams does not hold up
  // the trainers' event loop (which would show as latency that is not the server's).
  const subscribers = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--subscribers', server.url, ...runs.map((run) => run.experimentId)],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const ask = (question: 'window' | 'received') =>
    new Promise<SubscriberReport>((resolve) => {
      subscribers.once('message', (answer) => resolve(answer as SubscriberReport));
      subscribers.send(question);
    });
  await new Promise<void>((resolve) => subscribers.once('message', () => resolve())); // all started

  // The trainers: each tick, every run logs its share; one event in ten is a metric report.
  const perTickPerRun = (EVENTS_PER_SECOND * TICK_MS) / 1000 / RUNS;
  const logged = new Array<number>(RUNS).fill(0);
  let n = 0;
  const trainer = setInterval(() => {
    for (let r = 0; r < RUNS; r++) {
      for (let k = 0; k < perTickPerRun; k++) {
        if (++n % 10 === 0) runs[r]!.metrics({ epoch: 1, step: n, values: { loss: 1 / n, lr: 0.01 } });
        else {
          runs[r]!.info(`step ${n} at ${Date.now()}`);
          logged[r]!++;
        }
      }
    }
  }, TICK_MS);

  console.log(
    `soak: ${SECONDS} s, ${EVENTS_PER_SECOND} events/s from ${RUNS} SDK runs, ${SUBSCRIBERS} tRPC subscribers, one collector`,
  );
  console.log('   time | events/s delivered | p50 ms | p99 ms | max ms | server RSS MiB');
  const rss: number[] = [];
  const started = Date.now();
  for (let t = REPORT_EVERY_S; t <= SECONDS; t += REPORT_EVERY_S) {
    await new Promise((resolve) => setTimeout(resolve, started + t * 1000 - Date.now()));
    const { latencies } = await ask('window');
    latencies.sort((a, b) => a - b);
    rss.push(rssMiB(server.pid));
    console.log(
      `${String(t).padStart(5)} s | ${String(Math.round(latencies.length / REPORT_EVERY_S)).padStart(18)} | ${String(percentile(latencies, 50)).padStart(6)} | ${String(percentile(latencies, 99)).padStart(6)} | ${String(latencies.at(-1) ?? Number.NaN).padStart(6)} | ${rss.at(-1)!.toFixed(0).padStart(14)}`,
    );
  }
  clearInterval(trainer);
  await Promise.all(runs.map((run) => run.finish('completed')));
  // Everything logged reaches every subscriber of its run.
  const expected = (s: number) => logged[s % RUNS]!;
  const deadline = Date.now() + 30_000;
  let received = (await ask('received')).received;
  while (received.some((count, s) => count < expected(s)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    received = (await ask('received')).received;
  }
  const missing = received.reduce((sum, count, s) => sum + Math.max(0, expected(s) - count), 0);

  const first = rss[0]!;
  const last = rss.at(-1)!;
  const flat = last - first <= FLAT_SLACK_MIB;
  console.log(
    `server RSS ${first.toFixed(0)} MiB after ${REPORT_EVERY_S} s, ${last.toFixed(0)} MiB at the end (max ${Math.max(...rss).toFixed(0)}): ` +
      `${flat ? 'flat' : 'GROWING'} (slack ${FLAT_SLACK_MIB} MiB)`,
  );
  console.log(
    `delivery: ${missing === 0 ? 'every subscriber received every line' : `${missing} lines missing across subscribers`}`,
  );

  await stopChild(subscribers);
  await stopChild(collector);
  await server.stop();
  await db.close();
  process.exit(flat && missing === 0 ? 0 : 1);
}

const role = process.argv.indexOf('--subscribers');
(role >= 0 ? subscribe(process.argv[role + 1]!, process.argv.slice(role + 2)) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
