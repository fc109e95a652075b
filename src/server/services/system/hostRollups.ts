/**
 * The background job that keeps the rollup tiers and prunes every tier. It runs on every
 * instance but works on one at a time (a PostgreSQL advisory lock), and remembers how far
 * each tier is complete in host_rollup_state, so a restart carries on where it stopped.
 *
 * A minute is rolled up once it is GRACE_MS past its end. Samples that arrive later (a
 * collector replaying its buffer after an outage) mark their minute dirty as they are
 * stored; the next run rolls those minutes, and their 10 minutes and hours, again. Once a
 * minute is in the minute tier its single raw rows are folded into one row per host
 * (hostFold.ts). The 10-minute and hour tiers are both made from the minutes.
 */
import type pg from 'pg';
import type { Logger } from '../../../lib/logger';
import { transactionOn } from '../transaction';
import { foldMinutes } from './hostFold';
import type { RawRange } from './hostRaw';
import { lengthQuery, rollupStatement, SOURCE, TIERS, type RollupTier, type TierName } from './hostTiers';

export const GRACE_MS = 30_000;
/** Samples this much older than their arrival may land in a minute already rolled up. */
export const LATE_AFTER_MS = 20_000;
const LOCK_KEY = 7_311_042_013;
/** Rolled in slices, so a long backlog (the first start after the migration) is bounded per statement. */
const SLICE_MS: Record<RollupTier, number> = { '1m': 3_600_000, '10m': 86_400_000, '1h': 7 * 86_400_000 };
const WIDTH_MS = (tier: RollupTier) => TIERS[tier].stepMs;

export interface Retention {
  rawMs: number;
  minuteMs: number;
  /** How long 10-minute rollups are kept; as long as the minutes when not given. */
  tenMinuteMs?: number;
  hourMs: number;
}

/** The retention of the 10-minute tier. */
export const tenMinuteKeep = (r: Retention) => r.tenMinuteMs ?? r.minuteMs;

export type Watermarks = Partial<Record<RollupTier, number>>;

const floorTo = (t: number, width: number) => Math.floor(t / width) * width;

export class HostRollups {
  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly retention: Retention,
  ) {}

  /** Completed-until time of each rollup tier, in epoch ms (absent: nothing rolled yet). */
  async watermarks(db: pg.Pool | pg.PoolClient = this.pool): Promise<Watermarks> {
    const { rows } = await db.query<{ tier: RollupTier; done_until: Date }>('SELECT tier, done_until FROM host_rollup_state');
    return Object.fromEntries(rows.map((r) => [r.tier, r.done_until.getTime()]));
  }

  /** One pass: roll what is due, then prune. False when another instance holds the job. */
  async run(now = Date.now()): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
      if (!rows[0]!.ok) return false;
      try {
        const minutes = await this.roll(client, '1m', floorTo(now - GRACE_MS, WIDTH_MS('1m')));
        const changed = await this.rollDirty(client, minutes);
        for (const tier of ['10m', '1h'] as const) {
          await this.roll(client, tier, floorTo(minutes, WIDTH_MS(tier)));
          await this.rollAgain(client, tier, changed);
        }
        await foldMinutes(client, minutes);
        await this.prune(client, now);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      }
      return true;
    } finally {
      client.release();
    }
  }

  /** Rolls `tier` from its watermark up to `target`; returns the new watermark. */
  private async roll(client: pg.PoolClient, tier: RollupTier, target: number): Promise<number> {
    const marks = await this.watermarks(client);
    let done = marks[tier] ?? (await this.firstSource(client, tier)) ?? target;
    while (done < target) {
      const until = Math.min(target, done + SLICE_MS[tier]);
      const range = { from: `to_timestamp(${done / 1000})`, to: `to_timestamp(${until / 1000})` };
      await transactionOn(client, async () => {
        const length = await this.vectorLength(client, tier, range);
        await client.query(rollupStatement(tier, length, range));
        await client.query(
          `INSERT INTO host_rollup_state (tier, done_until) VALUES ($1, to_timestamp($2))
           ON CONFLICT (tier) DO UPDATE SET done_until = EXCLUDED.done_until`,
          [tier, until / 1000],
        );
      });
      done = until;
    }
    if (marks[tier] === undefined && done === target) {
      await client.query(
        `INSERT INTO host_rollup_state (tier, done_until) VALUES ($1, to_timestamp($2)) ON CONFLICT (tier) DO NOTHING`,
        [tier, done / 1000],
      );
    }
    return done;
  }

  /** The start of the first row of the tier's source, floored to the tier's width. */
  private async firstSource(client: pg.PoolClient, tier: RollupTier): Promise<number | undefined> {
    const first =
      tier === '1m'
        ? 'least((SELECT min(ts) FROM host_second), (SELECT min(ts) FROM host_minute))'
        : '(SELECT min(ts) FROM host_rollup_1m)';
    const { rows } = await client.query<{ first: Date | null }>(`SELECT ${first} AS first`);
    return rows[0]!.first ? floorTo(rows[0]!.first.getTime(), WIDTH_MS(tier)) : undefined;
  }

  private async vectorLength(client: pg.PoolClient, tier: RollupTier, range: RawRange, params: unknown[] = []): Promise<number> {
    const { rows } = await client.query<{ len: number }>(lengthQuery(SOURCE[tier], range), params);
    return rows[0]!.len;
  }

  /** Rolls again the minutes (before `until`) that received late samples; returns them. */
  private async rollDirty(client: pg.PoolClient, until: number): Promise<{ host_id: number; ts: Date }[]> {
    return transactionOn(client, async () => {
      const { rows: dirty } = await client.query<{ host_id: number; minute: Date }>(
        'DELETE FROM host_rollup_dirty WHERE minute < to_timestamp($1) RETURNING host_id, minute',
        [until / 1000],
      );
      if (dirty.length === 0) return [];
      const range = {
        join: 'unnest($1::int[], $2::timestamptz[]) AS d(host_id, minute)',
        host: 'd.host_id',
        from: 'd.minute',
        to: "d.minute + interval '1 minute'",
      };
      const params = [dirty.map((d) => d.host_id), dirty.map((d) => d.minute)];
      const length = await this.vectorLength(client, '1m', range, params);
      const { rows } = await client.query<{ host_id: number; ts: Date }>(rollupStatement('1m', length, range), params);
      return rows;
    });
  }

  /** Rolls again the rows of `tier` holding minutes that changed, where those rows are rolled already. */
  private async rollAgain(client: pg.PoolClient, tier: '10m' | '1h', minutes: { host_id: number; ts: Date }[]): Promise<void> {
    if (minutes.length === 0) return;
    const marks = await this.watermarks(client);
    const width = WIDTH_MS(tier);
    const rows = new Map<string, { host: number; start: number }>();
    for (const m of minutes) {
      const start = floorTo(m.ts.getTime(), width);
      if (start < (marks[tier] ?? -Infinity)) rows.set(`${m.host_id}:${start}`, { host: m.host_id, start });
    }
    if (rows.size === 0) return;
    const range = {
      join: 'unnest($1::int[], $2::float8[]) AS d(host_id, start)',
      host: 'd.host_id',
      from: 'to_timestamp(d.start / 1000)',
      to: `to_timestamp((d.start + ${width}) / 1000)`,
    };
    const params = [[...rows.values()].map((r) => r.host), [...rows.values()].map((r) => r.start)];
    await client.query(rollupStatement(tier, await this.vectorLength(client, tier, range, params), range), params);
  }

  /** Each tier keeps its retention; raw rows and minutes go only once the next tier holds them. */
  private async prune(client: pg.PoolClient, now: number): Promise<void> {
    const marks = await this.watermarks(client);
    const cut = (keepMs: number, rolled: number | undefined) => new Date(Math.min(now - keepMs, rolled ?? -Infinity));
    const raw = cut(this.retention.rawMs, marks['1m']);
    const deletes: [string, Date][] = [
      ['host_second', raw],
      // A folded minute goes once all of it is past the cut.
      ['host_minute', new Date(raw.getTime() - 59_000)],
      // Minutes go once both tiers made from them hold them.
      ['host_rollup_1m', cut(this.retention.minuteMs, Math.min(marks['10m'] ?? -Infinity, marks['1h'] ?? -Infinity))],
      ['host_rollup_10m', new Date(now - tenMinuteKeep(this.retention))],
      ['host_rollup_1h', new Date(now - this.retention.hourMs)],
    ];
    for (const [table, before] of deletes) {
      if (!Number.isFinite(before.getTime())) continue;
      const { rowCount } = await client.query(`DELETE FROM ${table} WHERE ts < $1`, [before]);
      if (rowCount) this.log.debug('pruned host history', { table, rows: rowCount });
    }
    await client.query('DELETE FROM host_rollup_dirty WHERE minute < $1', [new Date(now - this.retention.rawMs)]);
  }
}

export type { TierName };
