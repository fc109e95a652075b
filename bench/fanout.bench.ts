/**
 * Fan-out: N subscribers on one run while log lines arrive at R per second.
 * For each path it prints delivery latency p50/p99 (send time in the line, receive time at
 * the client), events lost, and the server's CPU time per delivered event (from /proc),
 * beside a baseline that broadcasts one pre-serialised frame per event to plain sockets.
 *
 * Subscribers and producer run in this process, the servers in their own processes; on a
 * 2-core machine the clients compete with the server for CPU, equally for every path.
 * BENCH_SECONDS (default 10) sets the length of each measurement.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../src/server/api/root';
import { stopChild } from '../tests/kit/processes';
import { withBenchServer } from './lib/benchServer';
import { cpuSeconds, percentile, rssMiB } from './lib/process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONFIGS = [
  { subscribers: 100, rate: 200 },
  { subscribers: 500, rate: 100 },
];

interface Result {
  path: string;
  subscribers: number;
  rate: number;
  delivered: number;
  lost: number;
  p50: number;
  p99: number;
  cpuUsPerEvent: number;
  /** CPU of this process (the subscribers decoding what they receive), per delivered event. */
  clientUsPerEvent: number;
}

const sentAt = (message: string) => Number(/sent=(\d+)/.exec(message)?.[1]);

/** Collects latencies; resolves when every subscriber has `expected` events or time runs out. */
class Tally {
  latencies: number[] = [];
  counts: number[];
  constructor(subscribers: number) {
    this.counts = new Array<number>(subscribers).fill(0);
  }
  record(subscriber: number, message: string) {
    this.counts[subscriber]!++;
    this.latencies.push(Date.now() - sentAt(message));
  }
  async settle(expected: number, graceMs = 10_000) {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && this.counts.some((c) => c < expected)) await new Promise((r) => setTimeout(r, 50));
  }
  summary(expected: number) {
    const sorted = this.latencies.sort((a, b) => a - b);
    return {
      delivered: this.counts.reduce((a, b) => a + b, 0),
      lost: this.counts.reduce((a, c) => a + Math.max(0, expected - c), 0),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  }
}

async function baseline(subscribers: number, rate: number): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lib/broadcastServer.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString()))));
  const tally = new Tally(subscribers);
  const sockets = await Promise.all(
    Array.from({ length: subscribers }, (_, i) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      ws.on('message', (data) => tally.record(i, (JSON.parse(data.toString()) as { data: { message: string } }).data.message));
      return new Promise<WebSocket>((resolve) => ws.once('open', () => resolve(ws)));
    }),
  );
  const cpu0 = cpuSeconds(child.pid!);
  const own0 = cpuSeconds(process.pid);
  await fetch(`http://127.0.0.1:${port}/start?rate=${rate}&seconds=${SECONDS}`);
  const expected = rate * SECONDS;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  await tally.settle(expected);
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const own = cpuSeconds(process.pid) - own0;
  for (const ws of sockets) ws.terminate();
  await stopChild(child);
  const s = tally.summary(expected);
  return {
    path: 'baseline (ws broadcast)',
    subscribers,
    rate,
    ...s,
    cpuUsPerEvent: (cpu * 1e6) / Math.max(1, s.delivered),
    clientUsPerEvent: (own * 1e6) / Math.max(1, s.delivered),
  };
}

/** Posts R log lines per second, one per request, each carrying its send time; returns how many were stored. */
async function produce(url: string, experimentId: string, rate: number): Promise<number> {
  const total = rate * SECONDS;
  const started = Date.now();
  let sent = 0;
  let refused = 0;
  const inflight = new Set<Promise<unknown>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    while (sent < due) {
      sent++;
      const body = JSON.stringify({ json: { experimentId, message: `sent=${Date.now()}` } });
      const p = fetch(`${url}/api/trpc/log.append`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
        .then(async (r) => {
          await r.arrayBuffer();
          if (!r.ok) refused++;
        })
        .catch(() => refused++);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  if (refused) console.warn(`${refused} of ${total} lines were refused by the server`);
  return total - refused;
}

type Server = { url: string; pid: number };

const createSession = (server: Server, experimentId: string) =>
  fetch(`${server.url}/api/trpc/session.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { experimentId } }),
  });

/** Subscribers connected: run the producer and read both sides' CPU while they receive. */
async function measure(
  server: Server,
  path: string,
  experimentId: string,
  rate: number,
  tally: Tally,
  disconnect: () => void,
): Promise<Result> {
  await createSession(server, experimentId);
  const cpu0 = cpuSeconds(server.pid);
  const own0 = cpuSeconds(process.pid);
  const expected = await produce(server.url, experimentId, rate);
  await tally.settle(expected);
  const cpu = cpuSeconds(server.pid) - cpu0;
  const own = cpuSeconds(process.pid) - own0;
  disconnect();
  const s = tally.summary(expected);
  const perEvent = (seconds: number) => (seconds * 1e6) / Math.max(1, s.delivered);
  return { path, subscribers: tally.counts.length, rate, ...s, cpuUsPerEvent: perEvent(cpu), clientUsPerEvent: perEvent(own) };
}

async function trpcPath(server: Server, subscribers: number, rate: number, run: number): Promise<Result> {
  const experimentId = `fanout-trpc-${run}`;
  const wsUrl = `${server.url.replace('http', 'ws')}/api/trpc-ws`;
  const tally = new Tally(subscribers);
  const clients = await Promise.all(
    Array.from({ length: subscribers }, (_, i) => {
      const socket = createWSClient({ url: wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] });
      return new Promise<ReturnType<typeof createWSClient>>((resolve) => {
        client.session.events.subscribe(
          { experimentId },
          {
            onStarted: () => resolve(socket),
            onData: ({ data }) => {
              if (data.kind !== 'events') return;
              for (const e of data.events) if (e.type === 'log') tally.record(i, e.data.message);
            },
          },
        );
      });
    }),
  );
  return measure(server, 'tRPC subscription', experimentId, rate, tally, () => clients.forEach((c) => c.close()));
}

async function plainPath(server: Server, subscribers: number, rate: number, run: number): Promise<Result | null> {
  const experimentId = `fanout-plain-${run}`;
  const wsUrl = `${server.url.replace('http', 'ws')}/api/v1/ws/training/${experimentId}`;
  const tally = new Tally(subscribers);
  let sockets: WebSocket[];
  try {
    sockets = await Promise.all(
      Array.from({ length: subscribers }, (_, i) => {
        const ws = new WebSocket(wsUrl);
        ws.on('message', (raw) => {
          const frame = JSON.parse(raw.toString()) as { type: string; data: { message: string } };
          if (frame.type === 'log') tally.record(i, frame.data.message);
        });
        return new Promise<WebSocket>((resolve, reject) => {
          ws.once('message', () => resolve(ws)); // connection_established
          ws.once('error', reject);
        });
      }),
    );
  } catch {
    return null; // this server has no plain sockets
  }
  return measure(server, 'plain socket', experimentId, rate, tally, () => sockets.forEach((ws) => ws.terminate()));
}

/** The server's CPU per line for ingest alone (no subscriber), to tell it from delivery. */
async function ingestAlone(server: Server, rate: number): Promise<number> {
  const experimentId = `fanout-ingest-${rate}`;
  await createSession(server, experimentId);
  const cpu0 = cpuSeconds(server.pid);
  const stored = await produce(server.url, experimentId, rate);
  return ((cpuSeconds(server.pid) - cpu0) * 1e6) / Math.max(1, stored);
}

/** How much memory the server holds for 1,000 idle subscribers of one run. */
async function holdThousand(server: { url: string; pid: number }): Promise<{ before: number; after: number }> {
  const before = rssMiB(server.pid);
  const wsUrl = `${server.url.replace('http', 'ws')}/api/trpc-ws`;
  const sockets = await Promise.all(
    Array.from({ length: 1000 }, () => {
      const socket = createWSClient({ url: wsUrl, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] });
      return new Promise<ReturnType<typeof createWSClient>>((resolve) =>
        client.session.events.subscribe({ experimentId: 'held' }, { onStarted: () => resolve(socket) }),
      );
    }),
  );
  const after = rssMiB(server.pid);
  for (const s of sockets) s.close();
  return { before, after };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function main() {
  await withBenchServer({}, async (server) => {
    const results: Result[] = [];
    // First, before any subscriber's backlog can be draining in the background.
    await ingestAlone(server, 50); // warm-up: the server's code is still being loaded and compiled
    const ingest: [number, number][] = [];
    for (const { rate } of CONFIGS) ingest.push([rate, await ingestAlone(server, rate)]);
    let run = 0;
    for (const { subscribers, rate } of CONFIGS) {
      run++;
      const base = await baseline(subscribers, rate);
      results.push(base);
      results.push(await trpcPath(server, subscribers, rate, run));
      const plain = await plainPath(server, subscribers, rate, run);
      if (plain) results.push(plain);
    }
    const held = await holdThousand(server);
    console.log(
      '\npath                     subs  rate/s  delivered  lost   p50 ms  p99 ms  CPU µs/event  vs baseline  clients µs/event',
    );
    let base: Result | undefined;
    for (const r of results) {
      if (r.path.startsWith('baseline')) base = r;
      const ratio = base ? r.cpuUsPerEvent / base.cpuUsPerEvent : Number.NaN;
      console.log(
        `${r.path.padEnd(24)} ${String(r.subscribers).padStart(4)}  ${String(r.rate).padStart(6)}  ${String(r.delivered).padStart(9)}  ${String(r.lost).padStart(4)}  ${fmt(r.p50).padStart(7)}  ${fmt(r.p99).padStart(6)}  ${fmt(r.cpuUsPerEvent, 1).padStart(12)}  ${fmt(ratio, 2).padStart(10)}x  ${fmt(r.clientUsPerEvent, 1).padStart(16)}`,
      );
    }
    for (const [rate, us] of ingest)
      console.log(`\ningest alone at ${rate} lines/s, no subscriber: ${fmt(us)} µs of server CPU per line`);
    console.log(`\n1,000 tRPC subscribers held: server RSS ${fmt(held.before)} MiB before, ${fmt(held.after)} MiB with them`);
  });
}

await main();
