import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/server/db/migrate';
import { setupTestDatabase } from './helpers/fixtures';
import { migrateBefore } from './helpers/migrations';

const db = setupTestDatabase();

describe('the 10-minute rollup migration', () => {
  it('fills the 10-minute tier from the minutes already kept, and its watermark from theirs', async () => {
    // The schema as it was before: every migration up to the one that adds the tier.
    await migrateBefore(db.sql, '20261204200000');

    await db.sql.query("INSERT INTO host (id, name) VALUES (1, 'a'), (2, 'b')");
    // Host a: three minutes of 10:00, one of 10:10 (a second value missing in one minute, a
    // third value only in another). Host b: one minute with empty vectors.
    const minute = (host: number, ts: string, n: number, mn: (number | null)[], av: (number | null)[], mx: (number | null)[]) =>
      db.sql.query('INSERT INTO host_rollup_1m (host_id, ts, n, mn, av, mx) VALUES ($1, $2, $3, $4, $5, $6)', [
        host,
        ts,
        n,
        mn,
        av,
        mx,
      ]);
    await minute(1, '2026-12-01T10:00:00Z', 60, [1, 5], [2, 6], [3, 7]);
    await minute(1, '2026-12-01T10:01:00Z', 30, [0, null], [4, null], [9, null]);
    await minute(1, '2026-12-01T10:09:00Z', 60, [2, 4, 8], [3, 5, 8], [4, 6, 8]);
    await minute(1, '2026-12-01T10:10:00Z', 60, [7], [7], [7]);
    await minute(2, '2026-12-01T10:05:00Z', 60, [], [], []);
    await db.sql.query("INSERT INTO host_rollup_state VALUES ('1m', '2026-12-01T10:11:00Z'), ('1h', '2026-12-01T10:00:00Z')");

    await applyMigrations(db.sql);
    const { rows } = await db.sql.query('SELECT host_id, ts, n, mn, av, mx FROM host_rollup_10m ORDER BY host_id, ts');
    expect(rows).toEqual([
      {
        host_id: 1,
        ts: new Date('2026-12-01T10:00:00Z'),
        n: 150,
        mn: [0, 4, 8],
        // (2 * 60 + 4 * 30 + 3 * 60) / 150 = 2.8; (6 * 60 + 5 * 60) / 120; 8 from its one minute.
        av: [2.8, 5.5, 8],
        mx: [9, 7, 8],
      },
      { host_id: 1, ts: new Date('2026-12-01T10:10:00Z'), n: 60, mn: [7], av: [7], mx: [7] },
      { host_id: 2, ts: new Date('2026-12-01T10:00:00Z'), n: 60, mn: [], av: [], mx: [] },
    ]);
    const { rows: marks } = await db.sql.query<{ tier: string; done_until: Date }>(
      'SELECT tier, done_until FROM host_rollup_state ORDER BY tier',
    );
    expect(marks.find((m) => m.tier === '10m')?.done_until).toEqual(new Date('2026-12-01T10:10:00Z'));
  });
});
