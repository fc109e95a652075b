/**
 * System samples of every host: stored in typed rows (system/hostWriter.ts), the latest of
 * each host kept in memory for live subscribers and the fleet message, history read from
 * the tier that fits the range (system/hostHistory.ts), rollups and pruning in the
 * background (system/hostRollups.ts).
 */
import type pg from 'pg';
import type { FleetSnapshot } from '../../shared/fleet';
import type { FleetHistory } from '../../shared/fleetHistory';
import {
  systemFleetHistoryInput,
  systemHistoryInput,
  systemHostRunsInput,
  type SystemFleetHistoryInput,
  type SystemHistoryInput,
  type SystemHostRunsInput,
} from '../../shared/schemas/system';
import type { HostRun, HostStatus, SystemHistory, SystemSample } from '../../shared/systemSample';
import type { Logger } from '../../lib/logger';
import type { EventBus } from './eventBus';
import { LiveQueue } from './liveQueue';
import { pickFleetTier, readFleetHistory } from './system/fleetHistory';
import { fleetSnapshot } from './system/fleetSnapshot';
import { vectorLength } from './system/hostColumns';
import { pickTier, readHistory } from './system/hostHistory';
import { HostRollups, type Retention } from './system/hostRollups';
import { HostWriter } from './system/hostWriter';

/** A host with no sample for this long is shown offline (collectors report every second). */
export const OFFLINE_AFTER_MS = 5_000;
const HOUR_MS = 3_600_000;

export interface SystemServiceOptions {
  /** How long each tier is kept. */
  retention: Retention;
  /** How often the rollup and pruning job runs (default 30 s). */
  rollupEveryMs?: number;
}

interface Latest {
  sample: SystemSample;
  /** When this instance last heard from the host (its own clock, not the host's). */
  lastSeenAt: number;
}

const wholeSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

export class SystemService {
  private readonly latest = new Map<string, Latest>();
  private readonly labels = new Map<string, Record<string, string>>();
  private readonly unsubscribe: () => void;
  private readonly writer: HostWriter;
  readonly rollups: HostRollups;
  private rollupTimer: NodeJS.Timeout | null = null;
  private fleetCache: FleetSnapshot | null = null;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly options: SystemServiceOptions,
  ) {
    this.writer = new HostWriter(pool);
    this.rollups = new HostRollups(pool, log, options.retention);
    // Samples stored by this instance and by others arrive here alike.
    this.unsubscribe = this.onSample((sample) => this.remember(sample, Date.now()));
  }

  /** Loads each host's newest stored sample and starts the background rollups. */
  async start(): Promise<void> {
    const { rows } = await this.pool.query<{
      latest: SystemSample | null;
      latest_at: Date | null;
      labels: Record<string, string>;
    }>(`SELECT latest, latest_at, labels FROM host WHERE latest IS NOT NULL`);
    for (const row of rows) {
      if (row.latest) this.remember({ ...row.latest, labels: row.labels }, row.latest_at?.getTime() ?? 0);
    }
    const run = async () => {
      if (this.closed) return;
      await this.rollups.run().catch((error: Error) => this.log.warn('host rollups failed', { error: error.message }));
    };
    void run();
    this.rollupTimer = setInterval(() => void run(), this.options.rollupEveryMs ?? 30_000);
    this.rollupTimer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.rollupTimer) clearInterval(this.rollupTimer);
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
    const stored = await this.writer.store(rows);
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
    return { stored: stored.filter(Boolean).length };
  }

  /** Every host that has reported, with its newest sample; offline after a few quiet seconds. */
  hosts(now = Date.now()): HostStatus[] {
    return [...this.latest.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([host, { sample, lastSeenAt }]) => ({
        host,
        online: now - lastSeenAt < OFFLINE_AFTER_MS,
        lastSeenAt: new Date(lastSeenAt),
        labels: this.labels.get(host) ?? {},
        latest: sample,
      }));
  }

  /** The compact fleet message: made at most once a second, shared by every subscriber. */
  fleet(now = Date.now()): FleetSnapshot {
    if (!this.fleetCache || now - this.fleetCache.t >= 1000 || now < this.fleetCache.t) {
      this.fleetCache = fleetSnapshot(this.hosts(now), now);
    }
    return this.fleetCache;
  }

  /** The fleet message once a second until the signal aborts. */
  async *fleetLive(signal?: AbortSignal): AsyncGenerator<FleetSnapshot> {
    while (!signal?.aborted) {
      yield this.fleet();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 1000 - (Date.now() % 1000));
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /**
   * A host's series in [from, to], averaged into buckets so each series has at most
   * maxPoints points. Buckets are whole seconds (minutes, hours on the rollup tiers) wide
   * and aligned to multiples of their width, so the same range asked twice gives the same
   * buckets.
   */
  async history(input: SystemHistoryInput): Promise<SystemHistory> {
    const q = systemHistoryInput.parse(input);
    const now = Date.now();
    const to = (q.to ?? new Date(now)).getTime();
    const from = q.from?.getTime() ?? to - HOUR_MS;
    const { tier, bucketMs } = pickTier(from, to, q.maxPoints, this.options.retention, now);
    const hostId = await this.writer.hostId(q.host);
    if (hostId === undefined) return { host: q.host, bucketMs, series: {} };
    const gpuIds = (this.latest.get(q.host)?.sample.gpu ?? []).map((g) => g.gpu_id);
    const marks = await this.rollups.watermarks();
    const series = await readHistory(
      this.pool,
      { hostId, from, to, maxPoints: q.maxPoints, length: vectorLength(gpuIds.length), gpuIds, marks },
      tier,
      bucketMs,
    );
    return { host: q.host, bucketMs, series };
  }

  /**
   * One metric of every host in [from, to] (default: the last 24 hours), at most maxPoints
   * aligned buckets per host (see system/fleetHistory.ts). GPU metrics cover as many GPUs
   * as the largest host's latest sample has.
   */
  async fleetHistory(input: SystemFleetHistoryInput): Promise<FleetHistory> {
    const q = systemFleetHistoryInput.parse(input);
    const now = Date.now();
    const to = (q.to ?? new Date(now)).getTime();
    const from = q.from?.getTime() ?? to - 24 * HOUR_MS;
    const { tier, bucketMs } = pickFleetTier(from, to, q.maxPoints, this.options.retention, now);
    const gpus = Math.max(0, ...[...this.latest.values()].map((l) => l.sample.gpu.length));
    const marks = await this.rollups.watermarks();
    return readFleetHistory(this.pool, { metric: q.metric, from, to, gpus, marks }, tier, bucketMs);
  }

  /** The runs that ran on the host at some time in [from, to], oldest first (at most 500). */
  async runsOn(input: SystemHostRunsInput): Promise<HostRun[]> {
    const q = systemHostRunsInput.parse(input);
    const { rows } = await this.pool.query<{ experiment_id: string; status: string; start: Date; end: Date | null }>(
      `SELECT experiment_id, status::text, coalesce(started_at, created_at) AS start, ended_at AS "end"
         FROM training_session
        WHERE host = $1 AND coalesce(started_at, created_at) <= $3 AND (ended_at IS NULL OR ended_at >= $2)
        ORDER BY 3 LIMIT 500`,
      [q.host, q.from, q.to ?? new Date()],
    );
    return rows.map((r) => ({
      experimentId: r.experiment_id,
      status: r.status,
      start: r.start.getTime(),
      end: r.end?.getTime() ?? null,
    }));
  }

  /**
   * Every host's samples as they are published, by any instance, and nothing before: the
   * plain system socket's live-only stream. The listener is called at once, so a socket's
   * outbox, not this service, decides what a slow client costs.
   */
  onSample(listener: (sample: SystemSample) => void): () => void {
    return this.bus.subscribeSystem((m) => {
      if (m.kind === 'system') listener(m.sample);
    });
  }

  /** Samples as they arrive (all hosts, or one), starting with each host's latest. */
  async *live(host: string | undefined, signal?: AbortSignal): AsyncGenerator<SystemSample> {
    const queue = new LiveQueue<SystemSample>();
    const unsubscribe = this.onSample((sample) => {
      if (host === undefined || sample.host === host) queue.push(sample);
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
    if (sample.labels) this.labels.set(sample.host, sample.labels);
    const known = this.latest.get(sample.host);
    if (!known || sample.timestamp >= known.sample.timestamp) {
      this.latest.set(sample.host, { sample, lastSeenAt: Math.max(seenAt, known?.lastSeenAt ?? 0) });
    } else {
      known.lastSeenAt = Math.max(known.lastSeenAt, seenAt);
    }
  }
}
