import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/lib/logger';
import { HostRollups } from '../src/server/services/system/hostRollups';
import { SystemService } from '../src/server/services/systemService';
import type { SystemSample } from '../src/shared/systemSample';
import { setupTestSystem } from './helpers/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention = { rawMs: 48 * HOUR, minuteMs: 30 * DAY, hourMs: 365 * DAY };
const t = setupTestSystem(retention);
/** Three hours of samples, ending ten minutes ago, on whole hours. */
const T0 = Math.floor((Date.now() - 3 * HOUR - 600_000) / HOUR) * HOUR;

function sample(host: string, at: number, cpu: number, gpuUtil: number[]): SystemSample {
  return {
    timestamp: new Date(at).toISOString(),
    host,
    cpu: { cpu_util: cpu, cpu_count: 8, cpu_freq_current: 2300, cpu_freq_max: 3000, load_avg: [1, 1, 1] },
    memory: { ram_used: 8, ram_total: 64, ram_percent: 12.5, ram_available: 56, swap_used: 1, swap_total: 4 },
    disk: { disk_used: 100, disk_total: 400, disk_percent: 25, read_bytes_per_s: 0, write_bytes_per_s: 1024 },
    gpu: gpuUtil.map((util, id) => ({
      gpu_id: id,
      gpu_name: 'NVIDIA H100 80GB HBM3',
      gpu_util: util,
      gpu_temp: 50 + id,
      vram_used: 40,
      vram_total: 80,
      vram_percent: 50.25,
      power_usage: 350.5,
    })),
    network: { bytes_sent: 1, bytes_recv: 2, packets_sent: 3, packets_recv: 4, sent_bytes_per_s: 10, recv_bytes_per_s: 20 },
  };
}

/** cpu = the second within its minute (0..59); GPU 0 = the minute within its hour; GPU 1 idle. */
const at = (i: number) => sample('tier-host', T0 + i * 1000, i % 60, [Math.floor(i / 60) % 60, 0]);

beforeAll(async () => {
  for (let i = 0; i < 3 * 3600; i += 600) {
    await t.system.report(Array.from({ length: 600 }, (_, j) => at(i + j)));
  }
  await t.system.rollups.run();
}, 60_000);

async function count(table: string): Promise<number> {
  const { rows } = await t.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

describe('host history tiers', () => {
  it('rolls the raw seconds into minutes and hours with min, mean and max', async () => {
    expect(await count('host_sample')).toBe(3 * 3600);
    expect(await count('host_rollup_1m')).toBeGreaterThanOrEqual(180);
    expect(await count('host_rollup_1h')).toBe(3);
    const { rows } = await t.pool.query<{ n: number; mn: number[]; av: number[]; mx: number[] }>(
      'SELECT n, mn, av, mx FROM host_rollup_1m WHERE ts = $1',
      [new Date(T0 + 5 * 60_000)],
    );
    // cpu 0..59 in the minute; GPU 0 at 5 all minute long; memory 50.25 %, power 350.5 W.
    expect(rows[0]).toMatchObject({ n: 60 });
    expect([rows[0]!.mn[0], rows[0]!.av[0], rows[0]!.mx[0]]).toEqual([0, 29.5, 59]);
    expect([rows[0]!.mn[9], rows[0]!.av[9], rows[0]!.mx[9]]).toEqual([5, 5, 5]);
    expect(rows[0]!.av[10]).toBeCloseTo(50.25, 5);
    expect(rows[0]!.av[12]).toBeCloseTo(350.5, 5);
    const { rows: hours } = await t.pool.query<{ n: number; mn: number[]; av: number[]; mx: number[] }>(
      'SELECT n, mn, av, mx FROM host_rollup_1h ORDER BY ts',
    );
    expect(hours.map((h) => h.n)).toEqual([3600, 3600, 3600]);
    expect([hours[1]!.mn[9], hours[1]!.av[9], hours[1]!.mx[9]]).toEqual([0, 29.5, 59]);
  });

  it('answers any range from the tier that fits, within maxPoints, with the same values', async () => {
    const from = new Date(T0);
    const to = new Date(T0 + 3 * HOUR - 1000);
    const raw = await t.system.history({ host: 'tier-host', from, to: new Date(T0 + 59_000), maxPoints: 600 });
    expect(raw.bucketMs).toBe(1000);
    expect(raw.series.cpu_util!.avg).toEqual(Array.from({ length: 60 }, (_, i) => i));

    const minutes = await t.system.history({ host: 'tier-host', from, to, maxPoints: 100 });
    expect(minutes.bucketMs % 60_000).toBe(0);
    expect(minutes.series.cpu_util!.t.length).toBeLessThanOrEqual(100);
    expect(Math.min(...minutes.series.cpu_util!.min)).toBe(0);
    expect(Math.max(...minutes.series.cpu_util!.max)).toBe(59);
    expect(minutes.series.gpu0_util!.max).toContain(59);

    const hours = await t.system.history({ host: 'tier-host', from, to, maxPoints: 3 });
    expect(hours.bucketMs % HOUR).toBe(0);
    expect(hours.series.cpu_util!.avg.every((v) => Math.abs(v - 29.5) < 1e-6)).toBe(true);
    expect(hours.series.gpu1_util!.max.every((v) => v === 0)).toBe(true);
    expect(hours.series.gpu0_vram_percent!.avg[0]).toBeCloseTo(50.25, 4);

    // A year: hour rollups, still within maxPoints.
    const year = await t.system.history({ host: 'tier-host', from: new Date(Date.now() - 365 * DAY), maxPoints: 600 });
    expect(year.bucketMs % HOUR).toBe(0);
    expect(year.series.cpu_util!.t.length).toBeLessThanOrEqual(600);
  });

  it('rolls a minute again when a replayed sample lands in it after it was rolled up', async () => {
    const minute = T0 + 10 * 60_000;
    // A sample in a second never sent before (a collector's buffered backlog), cpu 100.
    await t.pool.query('DELETE FROM host_sample WHERE ts = $1', [new Date(minute + 30_000)]);
    await t.system.report([sample('tier-host', minute + 30_000, 100, [10, 0])]);
    expect(await count('host_rollup_dirty')).toBe(1);
    await t.system.rollups.run();
    expect(await count('host_rollup_dirty')).toBe(0);
    const { rows } = await t.pool.query<{ mx: number[] }>('SELECT mx FROM host_rollup_1m WHERE ts = $1', [new Date(minute)]);
    expect(rows[0]!.mx[0]).toBe(100);
    const { rows: hour } = await t.pool.query<{ mx: number[] }>('SELECT mx FROM host_rollup_1h WHERE ts = $1', [new Date(T0)]);
    expect(hour[0]!.mx[0]).toBe(100);
  });

  it('runs on one instance at a time', async () => {
    const holder = await t.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7311042013)');
      expect(await new HostRollups(t.pool, silentLogger, retention).run()).toBe(false);
    } finally {
      await holder.query('SELECT pg_advisory_unlock(7311042013)');
      holder.release();
    }
    expect(await new HostRollups(t.pool, silentLogger, retention).run()).toBe(true);
  });

  it('keeps each tier for its retention, and raw rows until the minutes hold them', async () => {
    // Spans measured from the data, not the clock: raw rows keep its last hour, minutes its last two.
    const shortRetention = { rawMs: Date.now() - (T0 + 2 * HOUR), minuteMs: Date.now() - (T0 + HOUR), hourMs: 365 * DAY };
    await new HostRollups(t.pool, silentLogger, shortRetention).run();
    const { rows } = await t.pool.query<{ first: Date | null }>('SELECT min(ts) AS first FROM host_sample');
    expect(rows[0]!.first?.getTime()).toBeGreaterThanOrEqual(T0 + 2 * HOUR - 60_000);
    const { rows: minutes } = await t.pool.query<{ first: Date | null }>('SELECT min(ts) AS first FROM host_rollup_1m');
    expect(minutes[0]!.first?.getTime()).toBeGreaterThanOrEqual(T0 + HOUR - 60_000);
    expect(minutes[0]!.first?.getTime()).toBeLessThan(T0 + 2 * HOUR);
    expect(await count('host_rollup_1h')).toBe(3);
    // The history of the pruned range still comes from the hours.
    const short = new SystemService(t.pool, t.bus, silentLogger, { retention: shortRetention });
    const old = await short.history({ host: 'tier-host', from: new Date(T0), to: new Date(T0 + HOUR - 1000), maxPoints: 2 });
    short.close();
    expect(old.bucketMs % HOUR).toBe(0);
    expect(old.series.cpu_util!.max).toEqual([100]);
  });
});
