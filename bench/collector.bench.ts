/**
 * `npm run bench -- collector`: the collector's own CPU use at 1 Hz over 60 s (the process
 * and its children, nvidia-smi included, from /proc), beside a naive loop that asks
 * `systeminformation` for every field each second, measured in the same run (one after
 * the other). Goal: the collector under 1% of one core.
 *
 * With `--naive` this file is that loop.
 */
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import si from 'systeminformation';
import { stopChild } from '../tests/kit/processes';
import { withBenchServer } from './lib/benchServer';
import { ROOT, rssMiB, treeCpuSeconds } from './lib/process';

const WARMUP_S = 5;
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 60);
const HOST = `bench-host-${process.pid}`;

async function naiveLoop(): Promise<void> {
  const tick = async () => {
    await si.currentLoad();
    await si.cpu();
    await si.cpuCurrentSpeed();
    await si.mem();
    await si.fsSize();
    await si.disksIO();
    await si.networkStats('*');
    await si.graphics();
  };
  setInterval(() => void tick(), 1000);
}

async function main(): Promise<void> {
  if (process.argv.includes('--naive')) return naiveLoop();

  // The server's own collector is left out: this bench starts the one it measures.
  await withBenchServer({ COLLECTOR: 'off' }, async (server, db) => {
    // One after the other, so neither's load (the naive loop forks many processes) skews the other.
    const collector = await measure(
      spawn(process.execPath, [path.join(ROOT, 'bin/cvsm-collector.mjs'), '--server', server.url, '--host', HOST], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'warn' },
      }),
    );
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM host_sample s JOIN host h ON h.id = s.host_id WHERE h.name = $1',
      [HOST],
    );
    await pool.end();
    const naive = await measure(
      spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--naive'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );

    console.log(`each measured ${MEASURE_S} s at 1 Hz after ${WARMUP_S} s warm-up, one after the other`);
    console.log(`collector (process + children): ${collector.pct.toFixed(2)}% of one core, RSS ${collector.rss.toFixed(0)} MiB`);
    console.log(`naive systeminformation loop:   ${naive.pct.toFixed(2)}% of one core, RSS ${naive.rss.toFixed(0)} MiB`);
    console.log(`ratio naive / collector:        ${(naive.pct / collector.pct).toFixed(1)}x`);
    console.log(`goal < 1% of one core:          ${collector.pct < 1 ? 'met' : 'NOT met'}`);
    console.log(`samples stored by the server:   ${rows[0]?.n} (from ${WARMUP_S + MEASURE_S} s of collecting)`);
  });
}

/** CPU use of a child's process tree over MEASURE_S after WARMUP_S, in % of one core; stops it after. */
async function measure(child: ChildProcess): Promise<{ pct: number; rss: number }> {
  try {
    // Past start-up (compiling, static facts) before measuring.
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    const c0 = treeCpuSeconds(child.pid!);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    return { pct: ((treeCpuSeconds(child.pid!) - c0) / elapsed) * 100, rss: rssMiB(child.pid!) };
  } finally {
    await stopChild(child);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
