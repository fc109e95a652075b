/**
 * `npm run bench -- fleet`: BENCH_HOSTS (default 1,000) simulated 8-GPU hosts reporting at
 * 1 Hz over the collector's protocol for BENCH_SECONDS (default 40), spread over the second as
 * collectors spread (BENCH_PHASE=aligned: all on the whole second), against the real
 * server (API only) and, in the same run, against the baseline (a bare tRPC socket server
 * that validates and answers, storing nothing). Reports server CPU per sample (after a
 * 5 s warm-up; and the embedded PostgreSQL's, when it is one), report latency, samples
 * stored, live frames per host per second, and the bytes on disk per host-second of every
 * tier with its indexes (pg_total_relation_size).
 * Goals: p99 under 250 ms, under 0.25 ms of server CPU per sample, at most 150 bytes per
 * host-second.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { silentLogger } from '../src/lib/logger';
import { HostRollups } from '../src/server/services/system/hostRollups';
import { stopChild } from '../tests/kit/processes';
import { benchDatabase } from './lib/database';
import { cpuTimes, postgresCpuSeconds, ROOT, startServer } from './lib/process';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);
const WARMUP_S = 5;

interface Measured {
  sent: number;
  stored: number;
  failed: number;
  /** Reports answered in the measured seconds. */
  answered: number;
  p50: number;
  p99: number;
  max: number;
  liveFramesPerHostSecond: number;
  /** Cores the simulator itself used while measuring. */
  simulatorCores: number;
}

/** Runs the simulated hosts against `url`; returns what they saw and the server's CPU seconds. */
async function drive(
  url: string,
  serverPid: number,
  databaseDir?: string,
): Promise<Measured & { cpuMsPerSample: number; systemMsPerSample: number; databaseMsPerSample?: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench/lib/fleetHosts.ts'), url, String(HOSTS), String(SECONDS)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let cpuAtWarm = { user: 0, system: 0 };
  let cpuAtEnd = { user: 0, system: 0 };
  let databaseAtWarm = 0;
  let databaseAtEnd = 0;
  const databaseCpu = () => (databaseDir ? postgresCpuSeconds(databaseDir) : 0);
  const begun = Date.now();
  // The simulator starts on the next whole second plus one; measuring starts WARMUP_S later.
  const warm = setTimeout(
    () => {
      cpuAtWarm = cpuTimes(serverPid);
      databaseAtWarm = databaseCpu();
    },
    (WARMUP_S + 2) * 1000 - (begun % 1000),
  );
  const end = setTimeout(
    () => {
      cpuAtEnd = cpuTimes(serverPid);
      databaseAtEnd = databaseCpu();
    },
    (SECONDS + 2) * 1000 - (begun % 1000),
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  clearTimeout(warm);
  clearTimeout(end);
  await stopChild(child);
  const measured = JSON.parse(line) as Measured;
  // Per sample answered in the window (a server falling behind answers fewer than were sent).
  const samples = Math.max(1, measured.answered);
  const system = cpuAtEnd.system - cpuAtWarm.system;
  return {
    ...measured,
    cpuMsPerSample: ((cpuAtEnd.user - cpuAtWarm.user + system) * 1000) / samples,
    systemMsPerSample: (system * 1000) / samples,
    databaseMsPerSample: databaseDir ? ((databaseAtEnd - databaseAtWarm) * 1000) / samples : undefined,
  };
}

async function storage(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    // Roll every complete minute of the run, as the server's job does on its next pass.
    await new HostRollups(pool, silentLogger, { rawMs: 48 * 3_600_000, minuteMs: 30 * 86_400_000, hourMs: 365 * 86_400_000 }).run(
      Date.now() + 120_000,
    );
    await pool.query('VACUUM ANALYZE host_second');
    await pool.query('VACUUM ANALYZE host_minute');
    await pool.query('VACUUM ANALYZE host_rollup_1m');
    const size = async (table: string) => {
      const { rows } = await pool.query<{ bytes: string; indexes: string; n: string }>(
        `SELECT pg_total_relation_size('${table}') AS bytes, pg_indexes_size('${table}') AS indexes,
                (SELECT count(*) FROM ${table}) AS n`,
      );
      return { bytes: Number(rows[0]!.bytes), indexes: Number(rows[0]!.indexes), rows: Number(rows[0]!.n) };
    };
    // Raw seconds: single rows and folded minutes (the job above folded every minute of the run).
    const single = await size('host_second');
    const folded = await size('host_minute');
    const { rows: seconds } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM host_sample');
    const raw = { bytes: single.bytes + folded.bytes, indexes: single.indexes + folded.indexes, rows: Number(seconds[0]!.n) };
    const minute = await size('host_rollup_1m');
    const rawPerRow = raw.bytes / raw.rows;
    const minutePerRow = minute.bytes / Math.max(1, minute.rows);
    // An hour row is a minute row's twin (n is an integer there): its size is the minute row's.
    return { raw, folded, minute, rawPerRow, minutePerRow, perHostSecond: rawPerRow + minutePerRow / 60 + minutePerRow / 3600 };
  } finally {
    await pool.end();
  }
}

async function main() {
  const phase = process.env.BENCH_PHASE === 'aligned' ? 'all on the whole second' : "each at its host's phase";
  console.log(`${HOSTS} hosts x 8 GPUs at 1 Hz, ${phase}, for ${SECONDS} s (first ${WARMUP_S} s not measured)`);
  const baselineChild = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/baselineSystemServer.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve) => createInterface({ input: baselineChild.stdout! }).once('line', resolve));
  const baseline = await drive(`http://127.0.0.1:${port}`, baselineChild.pid!);
  await stopChild(baselineChild);

  const db = await benchDatabase();
  const server = await startServer(db.url, { RATE_LIMIT_PER_SECOND: '0' });
  let app: Awaited<ReturnType<typeof drive>>;
  try {
    app = await drive(server.url, server.pid, db.dataDir);
  } finally {
    await server.stop();
  }
  const disk = await storage(db.url);
  await db.close();

  const row = (name: string, m: typeof app) =>
    `${name.padEnd(9)} cpu ${m.cpuMsPerSample.toFixed(3)} ms/sample (kernel ${m.systemMsPerSample.toFixed(3)})  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  max ${m.max.toFixed(0)} ms  stored ${m.stored}/${m.sent}  failed ${m.failed}  live ${m.liveFramesPerHostSecond.toFixed(2)}/host/s  simulator ${m.simulatorCores.toFixed(2)} cores`;
  console.log(row('baseline', baseline));
  console.log(row('server', app));
  console.log(`ratio     cpu ${(app.cpuMsPerSample / baseline.cpuMsPerSample).toFixed(2)}x the baseline`);
  if (app.databaseMsPerSample !== undefined) {
    console.log(`database  cpu ${app.databaseMsPerSample.toFixed(3)} ms/sample (the embedded PostgreSQL, every process)`);
  }
  console.log(
    `storage   raw ${disk.raw.rows} seconds in ${disk.folded.rows} folded minutes, ${disk.rawPerRow.toFixed(1)} B/second (indexes ${(disk.raw.indexes / disk.raw.rows).toFixed(1)}); 1-minute ${disk.minute.rows} rows, ${disk.minutePerRow.toFixed(0)} B/row; all tiers ${disk.perHostSecond.toFixed(1)} B per host-second`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
