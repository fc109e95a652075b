/**
 * System samples of every host: stored one row per host per second, the latest of each
 * host kept in memory for live subscribers, history read back in buckets, old rows pruned.
 */
import type pg from 'pg';
import { systemHistoryInput, type SystemHistoryInput } from '../../shared/schemas/system';
import type { HostStatus, SystemHistory, SystemSample } from '../../shared/systemSample';
import type { Logger } from '../logger';
import { SYSTEM_SAMPLES, type BusMessage, type EventBus } from './eventBus';
import { LiveQueue } from './liveQueue';

/** A host with no sample for this long is shown offline (collectors report every second). */
export const OFFLINE_AFTER_MS = 5_000;
const HOUR_MS = 3_600_000;

export interface SystemServiceOptions {
  /** Samples older than this are deleted. */
  retentionMs: number;
  /** How often the background pruning runs. */
  pruneEveryMs?: number;
}

interface Latest {
  sample: SystemSample;
  /** When this instance last heard from the host (its own clock, not the host's). */
  lastSeenAt: number;
}

const wholeSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

export class SystemService {
  private readonly latest = new Map<string, Latest>();
  private readonly unsubscribe: () => void;
  private pruneTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly options: SystemServiceOptions,
  ) {
    // Samples stored by this instance and by others arrive here alike.
    this.unsubscribe = bus.subscribe(SYSTEM_SAMPLES, (m) => {
      if (m.kind === 'system') this.remember(m.sample, Date.now());
    });
  }

  /** Loads each host's newest stored sample and starts background pruning. */
  async start(): Promise<void> {
    const { rows } = await this.pool.query<{ data: SystemSample; timestamp: Date }>(
      `SELECT DISTINCT ON (host) data, "timestamp" FROM system_sample ORDER BY host, "timestamp" DESC`,
    );
    for (const row of rows) this.remember(row.data, row.timestamp.getTime());
    const every = this.options.pruneEveryMs ?? HOUR_MS;
    const run = () => void this.prune().catch((error: Error) => this.log.warn('pruning failed', { error: error.message }));
    run();
    this.pruneTimer = setInterval(run, every);
    this.pruneTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.unsubscribe();
  }

  /**
   * Stores samples; a sample whose host and second are stored already (a collector
   * replaying its buffer) is skipped. Returns how many were new.
   */
  async report(samples: SystemSample[]): Promise<{ stored: number }> {
    if (samples.length === 0) return { stored: 0 };
    // One row per host per second: the timestamp is cut to its second, in the row and the data.
    const rows = samples.map((s) => ({ ...s, timestamp: new Date(wholeSecond(s.timestamp)).toISOString() }));
    const { rows: inserted } = await this.pool.query<{ host: string; ts: Date }>(
      `INSERT INTO system_sample (host, "timestamp", data)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[])
       ON CONFLICT (host, "timestamp") DO NOTHING
       RETURNING host, "timestamp" AS ts`,
      [rows.map((r) => r.host), rows.map((r) => r.timestamp), rows.map((r) => JSON.stringify(r))],
    );
    // Live views move forward only: a replayed batch announces its newest sample per host,
    // not hundreds of old ones (those are in the history).
    const newest = new Map<string, SystemSample>();
    for (const r of rows) {
      const prev = newest.get(r.host);
      if (!prev || r.timestamp > prev.timestamp) newest.set(r.host, r);
    }
    for (const sample of newest.values()) {
      const known = this.latest.get(sample.host);
      if (!known || sample.timestamp > known.sample.timestamp) this.bus.publish({ kind: 'system', sample });
      else this.remember(known.sample, Date.now());
    }
    return { stored: inserted.length };
  }

  /** Every host that has reported, with its newest sample; offline after a few quiet seconds. */
  hosts(now = Date.now()): HostStatus[] {
    return [...this.latest.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([host, { sample, lastSeenAt }]) => ({
        host,
        online: now - lastSeenAt < OFFLINE_AFTER_MS,
        lastSeenAt: new Date(lastSeenAt),
        latest: sample,
      }));
  }

  /**
   * A host's samples in [from, to], averaged into buckets so each series has at most
   * maxPoints points. Buckets are whole seconds wide and aligned to multiples of their
   * width, so the same range asked twice gives the same buckets.
   */
  async history(input: SystemHistoryInput): Promise<SystemHistory> {
    const q = systemHistoryInput.parse(input);
    const to = (q.to ?? new Date()).getTime();
    const from = q.from?.getTime() ?? to - HOUR_MS;
    // Aligned buckets: a range of length L touches at most floor(L / w) + 2 of them, so
    // w > L / (maxPoints - 1) keeps the count within maxPoints.
    const span = Math.max(0, to - from);
    const bucketMs = Math.max(1000, Math.ceil((span / (q.maxPoints - 1) + 1) / 1000) * 1000);
    const series: SystemHistory['series'] = {};
    const { rows } = await this.pool.query<{ k: string; t: string; avg: number; min: number; max: number }>(
      `WITH s AS (
         SELECT (floor(extract(epoch FROM "timestamp") * 1000 / $4) * $4)::bigint AS t, data
           FROM system_sample
          WHERE host = $1 AND "timestamp" >= $2 AND "timestamp" <= $3
       ), v AS (
         SELECT s.t, x.k, x.v
           FROM s CROSS JOIN LATERAL (VALUES
             ('cpu_util', s.data #>> '{cpu,cpu_util}'),
             ('ram_percent', s.data #>> '{memory,ram_percent}'),
             ('disk_percent', s.data #>> '{disk,disk_percent}'),
             ('net_recv_bps', s.data #>> '{network,recv_bytes_per_s}'),
             ('net_sent_bps', s.data #>> '{network,sent_bytes_per_s}')
           ) AS x(k, v)
         UNION ALL
         SELECT s.t, 'gpu' || (g ->> 'gpu_id') || x.k, x.v
           FROM s CROSS JOIN LATERAL jsonb_array_elements(s.data -> 'gpu') AS g
                  CROSS JOIN LATERAL (VALUES
                    ('_util', g ->> 'gpu_util'),
                    ('_vram_percent', g ->> 'vram_percent'),
                    ('_temp', g ->> 'gpu_temp'),
                    ('_power', g ->> 'power_usage')
                  ) AS x(k, v)
       )
       SELECT k, t, avg(v::float8) AS avg, min(v::float8) AS min, max(v::float8) AS max
         FROM v WHERE v IS NOT NULL
        GROUP BY k, t ORDER BY k, t`,
      [q.host, new Date(from), new Date(to), bucketMs],
    );
    for (const row of rows) {
      const s = (series[row.k] ??= { t: [], avg: [], min: [], max: [] });
      s.t.push(Number(row.t));
      s.avg.push(row.avg);
      s.min.push(row.min);
      s.max.push(row.max);
    }
    return { host: q.host, bucketMs, series };
  }

  /** Deletes samples older than the retention period; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    if (this.closed) return 0;
    const { rowCount } = await this.pool.query(`DELETE FROM system_sample WHERE "timestamp" < $1`, [
      new Date(now - this.options.retentionMs),
    ]);
    if (rowCount) this.log.debug('pruned system samples', { rows: rowCount });
    return rowCount ?? 0;
  }

  /** Samples as they arrive (all hosts, or one), starting with each host's latest. */
  async *live(host: string | undefined, signal?: AbortSignal): AsyncGenerator<SystemSample> {
    const queue = new LiveQueue<SystemSample>();
    const unsubscribe = this.bus.subscribe(SYSTEM_SAMPLES, (m: BusMessage) => {
      if (m.kind === 'system' && (host === undefined || m.sample.host === host)) queue.push(m.sample);
    });
    // A sample published while the latest ones are yielded must not come twice or go back in time.
    const yielded = new Map<string, string>();
    const fresh = (s: SystemSample) => {
      const last = yielded.get(s.host);
      if (last !== undefined && s.timestamp <= last) return false;
      yielded.set(s.host, s.timestamp);
      return true;
    };
    try {
      for (const status of this.hosts()) {
        if ((host === undefined || status.host === host) && status.latest && fresh(status.latest)) yield status.latest;
      }
      for (;;) {
        const samples = await queue.takeAll(signal);
        if (!samples) return;
        for (const s of samples) if (fresh(s)) yield s;
      }
    } finally {
      unsubscribe();
      queue.end();
    }
  }

  private remember(sample: SystemSample, seenAt: number): void {
    const known = this.latest.get(sample.host);
    if (!known || sample.timestamp >= known.sample.timestamp) {
      this.latest.set(sample.host, { sample, lastSeenAt: Math.max(seenAt, known?.lastSeenAt ?? 0) });
    } else {
      known.lastSeenAt = Math.max(known.lastSeenAt, seenAt);
    }
  }
}
