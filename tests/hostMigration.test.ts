import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/server/db/migrate';
import { setupTestDatabase } from './helpers/fixtures';
import { migrateBefore } from './helpers/migrations';

const db = setupTestDatabase();

describe('the host time-series migration', () => {
  it('moves the JSONB samples into typed rows, each host with its newest sample', async () => {
    // The schema as it was before: every migration up to the one that adds the host tables.
    await migrateBefore(db.sql, '20261201213000');

    const data = (at: string, cpu: number) => ({
      timestamp: at,
      host: 'old-host',
      cpu: { cpu_util: cpu, cpu_count: 2, cpu_freq_current: 2300, cpu_freq_max: 0, load_avg: [0.5, 0.4, 0.3] },
      memory: { ram_used: 1, ram_total: 4, ram_percent: 25, ram_available: 3, swap_used: 1, swap_total: 2 },
      disk: { disk_used: 10, disk_total: 100, disk_percent: 10 },
      gpu: [
        {
          gpu_id: 0,
          gpu_name: 'A100',
          gpu_util: 97,
          gpu_temp: 71,
          vram_used: 20,
          vram_total: 80,
          vram_percent: 25.5,
          power_usage: 301.5,
        },
      ],
      network: { bytes_sent: 1, bytes_recv: 2, packets_sent: 3, packets_recv: 4, sent_bytes_per_s: 5, recv_bytes_per_s: 6 },
    });
    for (const [at, cpu] of [
      ['2026-11-30T10:00:00.000Z', 10],
      ['2026-11-30T10:00:01.000Z', 20],
    ] as const) {
      await db.sql.query(`INSERT INTO system_sample (host, "timestamp", data) VALUES ('old-host', $1, $2)`, [at, data(at, cpu)]);
    }

    await applyMigrations(db.sql);
    const { rows } = await db.sql.query(
      `SELECT s.ts, s.cpu_util, s.ram_percent, s.swap_percent, s.load1, s.net_recv_bps, s.gpu
         FROM host_sample s JOIN host h ON h.id = s.host_id WHERE h.name = 'old-host' ORDER BY s.ts`,
    );
    expect(rows).toEqual([
      {
        ts: new Date('2026-11-30T10:00:00Z'),
        cpu_util: 10,
        ram_percent: 25,
        swap_percent: 50,
        load1: 0.5,
        net_recv_bps: 6,
        gpu: [97, 2550, 71, 3015],
      },
      expect.objectContaining({ ts: new Date('2026-11-30T10:00:01Z'), cpu_util: 20 }),
    ]);
    const { rows: hosts } = await db.sql.query(`SELECT name, latest -> 'cpu' ->> 'cpu_util' AS cpu FROM host`);
    expect(hosts).toEqual([{ name: 'old-host', cpu: '20' }]);
    const { rows: tables } = await db.sql.query(`SELECT 1 FROM pg_tables WHERE tablename = 'system_sample'`);
    expect(tables).toEqual([]);
  });
});
