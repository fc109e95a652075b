/**
 * Simulated 8-GPU hosts speaking the collector's protocol: one tRPC socket per host, one
 * `system.report` a second at the host's phase in the second, as the collector sends
 * (collector/ticker.ts), plus up to 20 ms for sampling; or, with BENCH_PHASE=aligned, all
 * on the whole second plus up to 100 ms (collectors pinned to `--phase 0`, the worst case).
 * Each sample is as rich as the collector's (per-core loads, mounts, interfaces, GPU
 * processes). One more socket follows `system.live` and counts frames.
 *
 * The frames are written by hand (the tRPC WebSocket protocol: `{id, method, params}` out,
 * `{id, result}` back; what the collector's wsLink sends with superjson, whose form of a
 * plain-JSON sample is `{json: sample}`): the tRPC client's own per-message work cost more
 * than the server's, so a thousand of them on the same two cores as the server measured
 * the simulator rather than the server.
 *
 * argv: <server url> <hosts> <seconds>. Prints one JSON line with what it measured once
 * the seconds are over: report latencies (send to answer), samples sent and stored, and
 * live frames seen per host in the last `seconds - 5` seconds.
 */
import WebSocket from 'ws';
import { trpcWsUrl } from '../../src/collector/sender';
import { phaseForHost } from '../../src/collector/ticker';
import { simulatedSample as sample } from './simulatedHost';

const [url, hostsArg, secondsArg] = process.argv.slice(2);
const HOSTS = Number(hostsArg);
const SECONDS = Number(secondsArg);
const WARMUP_S = 5;
const ALIGNED = process.env.BENCH_PHASE === 'aligned';

const latencies: number[] = [];
let sent = 0;
let stored = 0;
let failed = 0;
let liveFrames = 0;
let measuring = false;
/** The simulator's own CPU over the measured seconds, to show it kept up. */
let cpuAtWarm = process.cpuUsage();

/** One host's socket: reports by id, answered in order of arrival. */
function host(i: number) {
  const name = `sim-${String(i).padStart(4, '0')}`;
  const socket = new WebSocket(trpcWsUrl(url!));
  const pending = new Map<number, number>();
  let nextId = 1;
  socket.on('message', (data) => {
    const text = data.toString();
    if (text === 'PING') return void socket.send('PONG');
    const message = JSON.parse(text) as { id: number; result?: { data?: { json?: { stored: number } } } };
    const began = pending.get(message.id);
    if (began === undefined) return;
    pending.delete(message.id);
    const answer = message.result?.data?.json;
    if (!answer) {
      failed++;
      return;
    }
    stored += answer.stored;
    if (measuring) latencies.push(performance.now() - began);
  });
  socket.on('error', () => failed++);
  return {
    socket,
    offsetMs: ALIGNED ? Math.random() * 100 : phaseForHost(name) + Math.random() * 20,
    report(second: number) {
      const id = nextId++;
      sent++;
      if (socket.readyState !== WebSocket.OPEN) {
        failed++;
        return;
      }
      pending.set(id, performance.now());
      const input = { json: { samples: [sample(name, second, i)] } };
      socket.send(JSON.stringify({ id, method: 'mutation', params: { path: 'system.report', input } }));
    },
  };
}

const hosts = Array.from({ length: HOSTS }, (_, i) => host(i));
const watcher = new WebSocket(trpcWsUrl(url!));
watcher.on('open', () =>
  watcher.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'system.live', input: { json: {} } } })),
);
watcher.on('message', (data) => {
  const head = data.toString('latin1', 0, 64);
  // The server's keep-alive: a socket that only listens answers it, as the tRPC client does.
  if (head === 'PING') watcher.send('PONG');
  // Counting needs no parse: a data frame says so near its start.
  else if (measuring && head.includes('"type":"data"')) liveFrames++;
});

const start = Math.ceil(Date.now() / 1000) * 1000 + 1000;
const timers = hosts.map((h) => {
  const jitter = h.offsetMs;
  let tick = 0;
  const fire = () => {
    h.report(start + tick * 1000);
    tick++;
    timer = setTimeout(fire, Math.max(0, start + tick * 1000 + jitter - Date.now()));
  };
  let timer = setTimeout(fire, start + jitter - Date.now());
  return () => clearTimeout(timer);
});

setTimeout(
  () => {
    measuring = true;
    cpuAtWarm = process.cpuUsage();
  },
  start - Date.now() + WARMUP_S * 1000,
);
setTimeout(
  () => {
    measuring = false;
    const cpu = process.cpuUsage(cpuAtWarm);
    for (const stop of timers) stop();
    // Answers still on the way: a second to arrive.
    setTimeout(() => {
      latencies.sort((a, b) => a - b);
      const pick = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
      const seconds = SECONDS - WARMUP_S;
      process.stdout.write(
        `${JSON.stringify({ sent, stored, failed, answered: latencies.length, p50: pick(50), p99: pick(99), max: pick(100), liveFramesPerHostSecond: liveFrames / HOSTS / seconds, simulatorCores: (cpu.user + cpu.system) / 1e6 / (SECONDS - WARMUP_S) })}\n`,
      );
      for (const h of hosts) h.socket.close();
      watcher.close();
      process.exit(0);
    }, 1500);
  },
  start - Date.now() + SECONDS * 1000,
);
