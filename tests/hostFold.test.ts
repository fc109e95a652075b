import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/server/db/migrate';
import { silentLogger } from '../src/lib/logger';
import { HostRollups } from '../src/server/services/system/hostRollups';
import type { SystemSample } from '../src/shared/systemSample';
import { setupTestDatabase, setupTestSystem } from './helpers/fixtures';
import { migrateBefore } from './helpers/migrations';

const migrated = setupTestDatabase();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retention = { rawMs: 48 * HOUR, minuteMs: 30 * DAY, hourMs: 365 * DAY };
const t = setupTestSystem(retention);
/** Whole minutes, an hour back. */
const T0 = Math.floor((Date.now() - HOUR) / 60_000) * 60_000;

function sample(host: string, at: number, cpu: number, gpus: number): SystemSample {
  return {
    timestamp: new Date(at).toISOString(),
    host,
    cpu: { cpu_util: cpu, cpu_count: 8, cpu_freq_current: 2300, cpu_freq_max: 3000, load_avg: [1.5, 1, 1] },
    memory: { ram_used: 8, ram_total: 64, ram_percent: 12.5, ram_available: 56, swap_used: 1, swap_total: 4 },
    disk: { disk_used: 100, disk_total: 400, disk_percent: 25, read_bytes_per_s: cpu * 1000, write_bytes_per_s: 1024 },
    gpu: Array.from({ length: gpus }, (_, id) => ({
      gpu_id: id,
      gpu_name: 'NVIDIA H100 80GB HBM3',
      gpu_util: (cpu + id) % 101,
      gpu_temp: 50 + id,
      vram_used: 40,
      vram_total: 80,
      vram_percent: 50.25 + id,
      power_usage: 350.5 + cpu / 10,
    })),
    network: { bytes_sent: 1, bytes_recv: 2, packets_sent: 3, packets_recv: 4, sent_bytes_per_s: 10, recv_bytes_per_s: 20 },
  };
}

/** Every second of every host, as a user's SQL reads it. */
async function seconds(): Promise<unknown[]> {
  const { rows } = await t.pool.query(
    'SELECT h.name, s.* FROM host_sample s JOIN host h ON h.id = s.host_id ORDER BY h.name, s.ts',
  );
  return rows.map(({ host_id: _, ...r }: Record<string, unknown>) => r);
}

async function count(sql: string): Promise<number> {
  const { rows } = await t.pool.query<{ n: string }>(sql);
  return Number(rows[0]!.n);
}

describe('folding raw seconds by the minute', () => {
  it('folds a completed minute into one row per host that reads back exactly', async () => {
    // Three minutes: an 8-GPU host missing second 7 of each minute, a host without GPUs,
    // and a host whose GPU count changes inside a minute.
    const batch: SystemSample[] = [];
    for (let i = 0; i < 180; i++) {
      if (i % 60 !== 7) batch.push(sample('fold-8gpu', T0 + i * 1000, i % 60, 8));
      batch.push(sample('fold-cpu', T0 + i * 1000, (i * 7) % 100, 0));
      batch.push(sample('fold-mixed', T0 + i * 1000, i % 50, i < 90 ? 1 : 2));
    }
    await t.system.report(batch);
    const before = await seconds();
    const history = await t.system.history({ host: 'fold-8gpu', from: new Date(T0), to: new Date(T0 + 179_000), maxPoints: 600 });
    expect(history.bucketMs).toBe(1000);

    await t.system.rollups.run();
    expect(await count('SELECT count(*) AS n FROM host_second')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM host_minute')).toBe(9);
    const after = await seconds();
    // The mixed host's first GPU-count minute reads back padded to the wider GPU count.
    const unpad = (rows: unknown[]) =>
      rows.map((r) => {
        const row = r as { gpu: (number | null)[] | null };
        return { ...row, gpu: row.gpu?.filter((v) => v !== null) ?? null };
      });
    expect(unpad(after)).toEqual(unpad(before));
    expect(after.filter((r) => (r as { name: string }).name === 'fold-8gpu')).toEqual(
      before.filter((r) => (r as { name: string }).name === 'fold-8gpu'),
    );
    expect(await t.system.history({ host: 'fold-8gpu', from: new Date(T0), to: new Date(T0 + 179_000), maxPoints: 600 })).toEqual(
      history,
    );
    expect(history.series.cpu_util!.t).toHaveLength(177);
    expect(history.series.gpu7_power!.max[0]).toBeCloseTo(350.5, 5);
  });

  it('stores a late sample into a folded minute once, and rolls that minute again', async () => {
    const missing = T0 + 60_000 + 7_000;
    const replayed = T0 + 60_000 + 8_000;
    expect(await t.system.report([sample('fold-8gpu', missing, 100, 8), sample('fold-8gpu', replayed, 99, 8)])).toEqual({
      stored: 1,
    });
    expect(await t.system.report([sample('fold-8gpu', missing, 100, 8)])).toEqual({ stored: 0 });
    await t.system.rollups.run();
    expect(await count('SELECT count(*) AS n FROM host_second')).toBe(0);
    const { rows } = await t.pool.query<{ cpu_util: number; n: string }>(
      `SELECT s.cpu_util, count(*) OVER () AS n FROM host_sample s JOIN host h ON h.id = s.host_id
        WHERE h.name = 'fold-8gpu' AND s.ts = $1`,
      [new Date(missing)],
    );
    expect(rows).toEqual([{ cpu_util: 100, n: '1' }]);
    // The second that was already stored kept its first value.
    const { rows: kept } = await t.pool.query<{ cpu_util: number }>(
      `SELECT s.cpu_util FROM host_sample s JOIN host h ON h.id = s.host_id WHERE h.name = 'fold-8gpu' AND s.ts = $1`,
      [new Date(replayed)],
    );
    expect(kept).toEqual([{ cpu_util: 8 }]);
    const { rows: minute } = await t.pool.query<{ n: number; mx: number[] }>(
      `SELECT r.n, r.mx FROM host_rollup_1m r JOIN host h ON h.id = r.host_id WHERE h.name = 'fold-8gpu' AND r.ts = $1`,
      [new Date(T0 + 60_000)],
    );
    expect(minute[0]).toMatchObject({ n: 60 });
    expect(minute[0]!.mx[0]).toBe(100);
  });

  it('resumes a fold cut short, every second stored once', async () => {
    const start = T0 + 10 * 60_000;
    const batch: SystemSample[] = [];
    for (let i = 0; i < 30 * 60; i++) batch.push(sample('fold-restart', start + i * 1000, i % 60, 2));
    await t.system.report(batch);
    const before = await seconds();
    // A fold that fails part way (as a crash would stop it): minutes from here on cannot be written.
    const cut = start + 15 * 60_000;
    await t.pool.query(`ALTER TABLE host_minute ADD CONSTRAINT fold_cut CHECK (ts < to_timestamp(${cut / 1000})) NOT VALID`);
    await expect(new HostRollups(t.pool, silentLogger, retention).run()).rejects.toThrow(/fold_cut/);
    expect(await count('SELECT count(*) AS n FROM host_second')).toBeGreaterThan(0);
    expect(await seconds()).toEqual(before);
    await t.pool.query('ALTER TABLE host_minute DROP CONSTRAINT fold_cut');
    // The job runs again (another instance, or this one after a restart).
    expect(await new HostRollups(t.pool, silentLogger, retention).run()).toBe(true);
    expect(await count('SELECT count(*) AS n FROM host_second')).toBe(0);
    expect(await seconds()).toEqual(before);
  });
});

describe('the minute folding migration', () => {
  it('folds the raw rows already stored', async () => {
    await migrateBefore(migrated.sql, '20261204190000');

    await migrated.sql.query(`INSERT INTO host (name) VALUES ('old-host')`);
    // Two old minutes (second 3 missing) and the current second, one GPU.
    await migrated.sql.query(
      `INSERT INTO host_sample (ts, host_id, cpu_util, ram_percent, load1, gpu)
       SELECT to_timestamp($1::float8 / 1000 + i), 1, i, 25, 0.5, ARRAY[i % 100, 2550, 71, 3015]::smallint[]
         FROM generate_series(0, 119) AS i WHERE i <> 3
       UNION ALL SELECT date_trunc('second', now()), 1, 7, 25, 0.5, NULL`,
      [T0],
    );
    const read = async () =>
      (await migrated.sql.query('SELECT * FROM host_sample ORDER BY ts')).rows as {
        ts: Date;
        cpu_util: number;
        gpu: number[] | null;
      }[];
    const old = await read();
    await applyMigrations(migrated.sql);
    const { rows } = await migrated.sql.query<{ n: string; s: string }>(
      'SELECT (SELECT count(*) FROM host_minute) AS n, (SELECT count(*) FROM host_second) AS s',
    );
    expect(rows[0]).toEqual({ n: '2', s: '1' });
    const now = await read();
    expect(now).toEqual(old);
    expect(now).toHaveLength(120);
    expect(now[3]).toMatchObject({ ts: new Date(T0 + 4000), cpu_util: 4, gpu: [4, 2550, 71, 3015] });
  });
});
