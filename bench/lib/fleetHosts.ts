/**
 * Simulated 8-GPU hosts speaking the collector's protocol: one tRPC socket per host, one
 * `system.report` a second on the whole second (plus a little jitter, as hosts' clocks
 * differ), each sample as rich as the collector's (per-core loads, mounts, interfaces, GPU
 * processes). One more socket follows `system.live` and counts frames.
 *
 * argv: <server url> <hosts> <seconds>. Prints one JSON line with what it measured once
 * the seconds are over: report latencies (send to answer), samples sent and stored, and
 * live frames seen per host in the last `seconds - 5` seconds.
 */
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../../src/server/api/root';
import { trpcWsUrl } from '../../src/collector/sender';
import { simulatedSample as sample } from './simulatedHost';

const [url, hostsArg, secondsArg] = process.argv.slice(2);
const HOSTS = Number(hostsArg);
const SECONDS = Number(secondsArg);
const WARMUP_S = 5;

function client() {
  const socket = createWSClient({ url: trpcWsUrl(url!), WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  return { socket, api: createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] }) };
}

const latencies: number[] = [];
let sent = 0;
let stored = 0;
let failed = 0;
let liveFrames = 0;
let measuring = false;
const hosts = Array.from({ length: HOSTS }, (_, i) => ({ name: `sim-${String(i).padStart(4, '0')}`, i, ...client() }));
const watcher = client();
watcher.api.system.live.subscribe(
  {},
  {
    onData: () => {
      if (measuring) liveFrames++;
    },
  },
);

const start = Math.ceil(Date.now() / 1000) * 1000 + 1000;
const timers = hosts.map((h) => {
  const jitter = Math.random() * 100;
  let tick = 0;
  const fire = () => {
    const second = start + tick * 1000;
    tick++;
    const t = performance.now();
    sent++;
    h.api.system.report.mutate({ samples: [sample(h.name, second, h.i)] }).then(
      (r) => {
        stored += r.stored;
        if (measuring) latencies.push(performance.now() - t);
      },
      () => failed++,
    );
    const next = start + tick * 1000 + jitter - Date.now();
    timer = setTimeout(fire, Math.max(0, next));
  };
  let timer = setTimeout(fire, start + jitter - Date.now());
  return () => clearTimeout(timer);
});

setTimeout(() => (measuring = true), start - Date.now() + WARMUP_S * 1000);
setTimeout(
  () => {
    measuring = false;
    for (const stop of timers) stop();
    // Answers still on the way: a second to arrive.
    setTimeout(() => {
      latencies.sort((a, b) => a - b);
      const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
      const seconds = SECONDS - WARMUP_S;
      process.stdout.write(
        `${JSON.stringify({ sent, stored, failed, answered: latencies.length, p50: pick(50), p99: pick(99), max: pick(100), liveFramesPerHostSecond: liveFrames / HOSTS / seconds })}\n`,
      );
      for (const h of hosts) h.socket.close();
      watcher.socket.close();
      process.exit(0);
    }, 1500);
  },
  start - Date.now() + SECONDS * 1000,
);
