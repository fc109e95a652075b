/**
 * The running runs as the stalled rule and the GPU-idle rule see them, read in one small
 * query per tick: whether each is stalled (the badge's rule, shared/stall.ts) and which
 * hosts have a run running.
 */
import type pg from 'pg';
import { isStalled, stallAfterMs } from '../../../shared/stall';
import { stallFloorMs } from '../rows';

export interface RunLiveness {
  run: string;
  host: string | null;
  stalled: boolean;
  silentMs: number;
  stallAfterMs: number;
  lastSeenAt: Date;
}

export async function readRunningRuns(pool: pg.Pool, now: number): Promise<RunLiveness[]> {
  const { rows } = await pool.query<{
    experiment_id: string;
    host: string | null;
    last_seen_at: Date | null;
    updated_at: Date;
    heartbeat_at: Date | null;
    event_gaps_ms: number[] | null;
  }>(
    `SELECT experiment_id, host, last_seen_at, updated_at, heartbeat_at, event_gaps_ms
       FROM training_session WHERE status = 'running'`,
  );
  const floor = stallFloorMs();
  return rows.map((r) => {
    const after = stallAfterMs({ heartbeatAt: r.heartbeat_at, eventGapsMs: r.event_gaps_ms }, floor);
    const lastSeenAt = r.last_seen_at ?? r.updated_at;
    return {
      run: r.experiment_id,
      host: r.host,
      stalled: isStalled({ status: 'running', lastSeenAt: r.last_seen_at, updatedAt: r.updated_at, stallAfterMs: after }, now),
      silentMs: now - lastSeenAt.getTime(),
      stallAfterMs: after,
      lastSeenAt,
    };
  });
}
