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
import type { SystemSample } from '../../src/shared/systemSample';
import { trpcWsUrl } from '../../src/collector/sender';

const [url, hostsArg, secondsArg] = process.argv.slice(2);
const HOSTS = Number(hostsArg);
const SECONDS = Number(secondsArg);
const WARMUP_S = 5;

function sample(host: string, at: number, i: number): SystemSample {
  const load = (k: number) => (Math.sin(at / 60_000 + i + k) + 1) * 50;
  return {
    timestamp: new Date(at).toISOString(),
    host,
    labels: { rack: `r${i % 40}`, zone: i % 2 ? 'a' : 'b' },
    cpu: {
      cpu_util: load(0),
      cpu_count: 32,
      cpu_freq_current: 2400,
      cpu_freq_max: 3500,
      per_core: Array.from({ length: 32 }, (_, k) => Math.round(load(k) * 10) / 10),
      load_avg: [4.1, 3.9, 3.5],
    },
    memory: { ram_used: 412.5, ram_total: 1007.6, ram_percent: 40.9, ram_available: 595.1, swap_used: 0, swap_total: 8 },
    disk: {
      disk_used: 1200.4,
      disk_total: 3500,
      disk_percent: 34.3,
      read_bytes_per_s: 1_048_576,
      write_bytes_per_s: 4_194_304,
      filesystems: [
        { mount: '/', used: 120.4, total: 500, percent: 24.1 },
        { mount: '/data', used: 1080, total: 3000, percent: 36 },
      ],
    },
    gpu: Array.from({ length: 8 }, (_, g) => ({
      gpu_id: g,
      gpu_name: 'NVIDIA H100 80GB HBM3',
      gpu_util: Math.round(load(g)),
      gpu_temp: 40 + Math.round(load(g) / 3),
      vram_used: 61.2,
      vram_total: 79.6,
      vram_percent: 76.9,
      power_usage: 150 + load(g) * 5,
      power_limit: 700,
      fan_percent: null,
      clock_sm_mhz: 1980,
      clock_mem_mhz: 2619,
      processes: [{ pid: 4242 + g, name: 'python train.py', used_mib: 62_000 }],
    })),
    network: {
      bytes_sent: 123_456.7,
      bytes_recv: 654_321.2,
      packets_sent: 9_876_543,
      packets_recv: 8_765_432,
      sent_bytes_per_s: 12_000_000,
      recv_bytes_per_s: 48_000_000,
      interfaces: [
        { name: 'eth0', sent_bytes_per_s: 2_000_000, recv_bytes_per_s: 8_000_000 },
        { name: 'ib0', sent_bytes_per_s: 10_000_000, recv_bytes_per_s: 40_000_000 },
      ],
    },
  };
}

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
