/**
 * When a running run counts as stalled: one rule for the status badge and the "run stalled"
 * alert. A trainer that sends heartbeats (the SDKs, every 5 s) is stalled after several
 * missed beats. One that does not (a script posting to the REST shim) is judged by its own
 * rhythm: stalled only once its silence is far longer than its usual gap between events,
 * never sooner than a generous floor, because a YOLO epoch on COCO can take many minutes.
 */
import type { SessionStatus } from './schemas/common';

/** Six missed beats at the SDKs' 5 s interval. */
export const HEARTBEAT_STALL_MS = 30_000;
/** Silence this many times the run's median gap between events counts as stalled... */
export const GAP_FACTOR = 5;
/** ...but never less than this (STALL_FLOOR_SECONDS on the server). */
export const DEFAULT_STALL_FLOOR_MS = 600_000;

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How long this run may stay silent before it is stalled. */
export function stallAfterMs(
  run: { heartbeatAt: Date | null; eventGapsMs: readonly number[] | null },
  floorMs = DEFAULT_STALL_FLOOR_MS,
): number {
  if (run.heartbeatAt) return HEARTBEAT_STALL_MS;
  return Math.max(floorMs, GAP_FACTOR * median(run.eventGapsMs ?? []));
}

export interface StallInput {
  status: SessionStatus;
  lastSeenAt: Date | null;
  updatedAt: Date;
  /** From stallAfterMs, computed by the server (it knows the floor). */
  stallAfterMs: number;
}

export function isStalled(s: StallInput, now: number): boolean {
  const seen = s.lastSeenAt ?? s.updatedAt;
  return s.status === 'running' && now - seen.getTime() > s.stallAfterMs;
}
