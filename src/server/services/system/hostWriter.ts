/**
 * Writes host samples in batches across hosts: reports that arrive while a statement is in
 * flight wait and go together in the next one (as the event store's group commit does for
 * runs), so a thousand hosts reporting each second cost a few statements a second, not a
 * thousand. Each caller hears back once the statement holding its samples committed.
 *
 * The same statement refreshes each host's latest full sample (at most every
 * LATEST_EVERY_MS per host: it is read at start and for details, not charted) and marks
 * minutes that got samples after they may have been rolled up. Only such late samples can
 * fall in a minute already folded (hostFold.ts): for them the statement also skips seconds
 * the minute's row holds, and runs under the fold lock, shared.
 */
import type pg from 'pg';
import type { SystemSample } from '../../../shared/systemSample';
import { GroupCommit } from '../groupCommit';
import { inTransaction } from '../transaction';
import { FOLD_LOCK_KEY } from './hostFold';
import { LATE_AFTER_MS } from './hostRollups';
import { gpuLiteral, HOST_SCALARS, hostRow } from './hostColumns';

const LATEST_EVERY_MS = 5_000;
/**
 * Collectors spread their reports over the second (collector/ticker.ts), so few arrive
 * while a statement is in flight: a report waits this long for others to share its
 * statement, its NOTIFY and its live frames' writes (a thousand hosts: about 25 reports
 * a statement, 40 statements a second rather than a thousand).
 */
const BATCH_WINDOW_MS = 25;

interface Pending {
  sample: SystemSample;
  /** Arrival time at this instance, epoch ms. */
  at: number;
}

export class HostWriter {
  private readonly ids = new Map<string, number>();
  private readonly labels = new Map<string, string>();
  private readonly latestWritten = new Map<string, number>();
  private readonly commit = new GroupCommit<Pending, boolean[]>(
    (_key, batch) => this.write(batch),
    (result, offset, count) => result.slice(offset, offset + count),
    BATCH_WINDOW_MS,
  );

  constructor(private readonly pool: pg.Pool) {}

  /** Stores the samples (whole seconds); answers, per sample, whether it was new. */
  store(samples: SystemSample[]): Promise<boolean[]> {
    const at = Date.now();
    return this.commit.submit(
      'hosts',
      samples.map((sample) => ({ sample, at })),
    );
  }

  /** The host's id, for reads; undefined for a host never stored. */
  async hostId(name: string): Promise<number | undefined> {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const { rows } = await this.pool.query<{ id: number }>('SELECT id FROM host WHERE name = $1', [name]);
    if (rows[0]) this.ids.set(name, rows[0].id);
    return rows[0]?.id;
  }

  private async resolve(names: string[]): Promise<void> {
    const missing = [...new Set(names)].filter((n) => !this.ids.has(n));
    if (missing.length === 0) return;
    // DO UPDATE (a no-op) so that hosts another instance created come back with their ids too.
    const { rows } = await this.pool.query<{ id: number; name: string }>(
      `INSERT INTO host (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name`,
      [missing],
    );
    for (const r of rows) this.ids.set(r.name, r.id);
  }

  private async write(batch: Pending[]): Promise<boolean[]> {
    await this.resolve(batch.map((p) => p.sample.host));
    const ts: number[] = [];
    const hostIds: number[] = [];
    const columns: (number | null)[][] = HOST_SCALARS.map(() => []);
    const gpus: (string | null)[] = [];
    const late: boolean[] = [];
    const seen = new Set<string>();
    const first: boolean[] = [];
    const keys: string[] = [];
    const latest = new Map<number, { sample: SystemSample; labels: string | null }>();
    for (const { sample, at } of batch) {
      const row = hostRow(sample);
      const id = this.ids.get(sample.host)!;
      const key = `${id}:${row.ts}`;
      keys.push(key);
      // A host's second twice in one batch: only the first can be stored.
      first.push(!seen.has(key));
      if (seen.has(key)) continue;
      seen.add(key);
      ts.push(row.ts);
      hostIds.push(id);
      row.scalars.forEach((v, i) => columns[i]!.push(v));
      gpus.push(gpuLiteral(row.gpu));
      late.push(at - row.ts * 1000 > LATE_AFTER_MS);
      const labels = sample.labels ? JSON.stringify(sample.labels) : null;
      const labelsChanged = labels !== null && labels !== this.labels.get(sample.host);
      if (labelsChanged || at - (this.latestWritten.get(sample.host) ?? 0) >= LATEST_EVERY_MS) {
        const prev = latest.get(id);
        if (!prev || sample.timestamp > prev.sample.timestamp) latest.set(id, { sample, labels });
      }
    }
    const scalarParams = HOST_SCALARS.map((_, i) => `$${i + 3}::real[]`).join(', ');
    const n = HOST_SCALARS.length + 3;
    const text = `WITH u AS (
         SELECT * FROM unnest($1::int8[], $2::int[], ${scalarParams}, $${n}::text[], $${n + 1}::bool[])
                AS u(t, host_id, ${HOST_SCALARS.join(', ')}, gpu, late)
       ), ins AS (
         INSERT INTO host_second (ts, host_id, ${HOST_SCALARS.join(', ')}, gpu)
         SELECT to_timestamp(t), host_id, ${HOST_SCALARS.join(', ')}, gpu::smallint[] FROM u
          WHERE NOT (u.late AND EXISTS (
                  SELECT 1 FROM host_minute m
                   WHERE m.host_id = u.host_id AND m.ts = date_trunc('minute', to_timestamp(u.t))
                     AND m.present & (1::int8 << extract(second FROM to_timestamp(u.t))::int) <> 0))
         ON CONFLICT DO NOTHING
         RETURNING host_id, ts
       ), dirty AS (
         INSERT INTO host_rollup_dirty (host_id, minute)
         SELECT DISTINCT u.host_id, date_trunc('minute', to_timestamp(u.t))
           FROM u JOIN ins ON ins.host_id = u.host_id AND ins.ts = to_timestamp(u.t)
          WHERE u.late
         ON CONFLICT DO NOTHING
       ), latest AS (
         UPDATE host SET latest = l.sample, latest_at = l.at, labels = coalesce(l.labels, host.labels)
           FROM unnest($${n + 2}::int[], $${n + 3}::jsonb[], $${n + 4}::timestamptz[], $${n + 5}::jsonb[]) AS l(id, sample, at, labels)
          WHERE host.id = l.id AND (host.latest_at IS NULL OR host.latest_at <= l.at)
       )
       SELECT host_id, extract(epoch FROM ts)::int8 AS t FROM ins`;
    const { rows } = await this.query<{ host_id: number; t: string }>(late.includes(true), text, [
      ts,
      hostIds,
      ...columns,
      gpus,
      late,
      [...latest.keys()],
      [...latest.values()].map((l) => JSON.stringify(l.sample)),
      [...latest.values()].map((l) => l.sample.timestamp),
      [...latest.values()].map((l) => l.labels),
    ]);
    const now = Date.now();
    for (const { sample, labels } of latest.values()) {
      this.latestWritten.set(sample.host, now);
      if (labels !== null) this.labels.set(sample.host, labels);
    }
    const stored = new Set(rows.map((r) => `${r.host_id}:${r.t}`));
    return keys.map((key, i) => first[i]! && stored.has(key));
  }

  /** Runs the write; with late samples, under the fold lock, so no fold runs between check and insert. */
  private async query<R extends pg.QueryResultRow>(late: boolean, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    if (!late) return this.pool.query<R>(text, values);
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock_shared($1)', [FOLD_LOCK_KEY]);
      return client.query<R>(text, values);
    });
  }
}
