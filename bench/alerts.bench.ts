/**
 * Alert evaluation: what rules cost at ingest. The same SDK ingest (run.metrics() until
 * stored, as in ingest.bench.ts) into a server with alerts off (ALERTS=off) and into one
 * with the six default rules and BENCH_RULES (default 20) more metric rules on every run,
 * each on a database of its own; BENCH_ROUNDS (default 4) rounds, each server first in every other
 * one, best of each. Then the time from a NaN metric posted to its alert stored (BENCH_RAISES, 20).
 * Goal: throughput with alerts at least 0.9 of without; raised within 2 s.
 */
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../src/server/api/root';
import { createMonitor } from '../src/sdk';
import { createLogger } from '../src/lib/logger';
import type { AlertStore } from '../src/server/services/alerts/alertStore';
import { AlertEvaluator } from '../src/server/services/alerts/evaluator';
import type { AlertRule } from '../src/shared/schemas/alertRules';
import type { SessionEvent } from '../src/shared/types';
import { benchDatabase } from './lib/database';
import { cpuSeconds, percentile, startServer } from './lib/process';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const RULES = Number(process.env.BENCH_RULES ?? 20);
const RAISES = Number(process.env.BENCH_RAISES ?? 20);
const VALUES = 10;
const NAMES = Array.from({ length: VALUES }, (_, i) => (i === 0 ? 'train/box_loss' : `metric_${i}`));
const POINTS = REPORTS * VALUES;
const values = (i: number) => Object.fromEntries(NAMES.map((n, k) => [n, 1 / (i + k + 1)]));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const client = (url: string) =>
  createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/api/trpc`, transformer: superjson })] });

async function ingest(url: string, pid: number, id: string): Promise<{ seconds: number; serverCpu: number }> {
  const monitor = createMonitor({ url, batchSize: 5000, queueCapacity: REPORTS + 10_000, handleProcessExit: false });
  const run = await monitor.startRun({ experimentId: id });
  for (let i = 0; i < 5000; i++) run.metrics({ epoch: 0, step: i, values: values(i) });
  await run.flush();
  const cpu0 = cpuSeconds(pid);
  const started = performance.now();
  for (let i = 0; i < REPORTS; i++) run.metrics({ epoch: 1 + Math.floor(i / 1000), step: i, values: values(i) });
  await run.flush();
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(pid) - cpu0;
  await run.finish();
  return { seconds, serverCpu };
}

async function addRules(url: string): Promise<void> {
  const api = client(url);
  for (let i = 0; i < RULES; i++) {
    const metric = NAMES[i % VALUES]!;
    await api.alert.createRule.mutate(
      i % 2
        ? { name: `threshold ${i}`, params: { kind: 'metric_threshold', metric, op: 'above', value: 1e9 } }
        : { name: `plateau ${i}`, params: { kind: 'metric_plateau', metric, epochs: 100_000 } },
    );
  }
}

async function raiseLatency(url: string): Promise<number[]> {
  const api = client(url);
  const times: number[] = [];
  for (let i = 0; i < RAISES; i++) {
    const id = `bench-nan-${i}`;
    await api.session.create.mutate({ experimentId: id });
    const started = performance.now();
    await api.metric.append.mutate({ experimentId: id, epoch: 1, values: { loss: Number.NaN } });
    for (;;) {
      const alerts = await api.alert.list.query({ limit: 5 });
      if (alerts.some((a) => a.run === id)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/**
 * The evaluator alone, in this process: the same reports through the same rules, no
 * database (no condition becomes true, as in the ingest rounds). Steadier than CPU read
 * from /proc on a busy machine.
 */
async function evaluatorAlone(rules: AlertRule[]): Promise<number> {
  const store = { raise: () => Promise.resolve(null), resolve: () => Promise.resolve(null) } as unknown as AlertStore;
  const evaluator = new AlertEvaluator(store, createLogger('warn', 'bench'), () => {});
  evaluator.setRules(rules);
  const batch: SessionEvent[] = Array.from({ length: 5000 }, (_, i) => ({
    type: 'metrics',
    seq: i + 1,
    data: { seq: i + 1, epoch: 1 + Math.floor(i / 1000), step: i, timestamp: new Date(), values: values(i) },
  }));
  for (let i = 0; i < 10; i++) evaluator.onRunEvents('bench-warm', batch);
  // CPU time, not wall time: on a shared machine the process may wait for a core.
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < REPORTS / batch.length; i++) evaluator.onRunEvents('bench-eval', batch);
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / POINTS;
}

async function main() {
  const [dbOff, dbOn] = [await benchDatabase(), await benchDatabase()];
  const off = await startServer(dbOff.url, { ALERTS: 'off' });
  const on = await startServer(dbOn.url, { ALERTS: 'on' });
  try {
    await addRules(on.url);
    const rounds = { off: [] as { seconds: number; serverCpu: number }[], on: [] as { seconds: number; serverCpu: number }[] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Each goes first in every other round: the one after profits from warm caches.
      const order = round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const which of order) {
        const server = which === 'off' ? off : on;
        rounds[which].push(await ingest(server.url, server.pid, `bench-${which}-${round}`));
      }
      console.log(
        `round ${round}: without alerts ${rounds.off.at(-1)!.seconds.toFixed(2)} s, with ${rounds.on.at(-1)!.seconds.toFixed(2)} s`,
      );
    }
    const best = (r: { seconds: number; serverCpu: number }[]) => r.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const [a, b] = [best(rounds.off), best(rounds.on)];
    const cpuPer = (r: { serverCpu: number }) => (r.serverCpu / POINTS) * 1e6;
    console.log(`${fmt(REPORTS)} reports x ${VALUES} values = ${fmt(POINTS)} points; ${RULES + 6} rules with alerts on`);
    console.log(`without alerts: ${fmt(POINTS / a.seconds)} points/s, server CPU ${cpuPer(a).toFixed(2)} µs/point`);
    console.log(`with alerts:    ${fmt(POINTS / b.seconds)} points/s, server CPU ${cpuPer(b).toFixed(2)} µs/point`);
    console.log(
      `ratio with / without: throughput ${(a.seconds / b.seconds).toFixed(2)} (goal >= 0.9), server CPU ${(b.serverCpu / a.serverCpu).toFixed(2)}x`,
    );
    const alone = await evaluatorAlone(await client(on.url).alert.rules.query());
    console.log(
      `evaluator alone: ${alone.toFixed(3)} µs/point, ${((alone / cpuPer(a)) * 100).toFixed(1)}% of the server CPU per point without alerts`,
    );
    const times = await raiseLatency(on.url);
    console.log(
      `NaN metric to stored alert (${RAISES}): median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms (goal < 2000)`,
    );
  } finally {
    await Promise.all([off.stop(), on.stop()]);
    await Promise.all([dbOff.close(), dbOn.close()]);
  }
}

await main();
