import { describe, expect, it } from 'vitest';
import { HEARTBEAT_STALL_MS, isStalled, stallAfterMs } from './stall';

const MIN = 60_000;
const running = (lastSeenAgoMs: number, after: number, now: number) => ({
  status: 'running' as const,
  lastSeenAt: new Date(now - lastSeenAgoMs),
  updatedAt: new Date(now - lastSeenAgoMs),
  stallAfterMs: after,
});

describe('the stalled rule', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('gives a REST-only run with minutes between epochs far longer than 15 s', () => {
    // A YOLO epoch on COCO every 4 minutes, posted through the REST shim: no heartbeats.
    const after = stallAfterMs({ heartbeatAt: null, eventGapsMs: [4 * MIN, 4 * MIN + 5000, 3 * MIN + 50_000, 4 * MIN] });
    expect(after).toBe(20 * MIN); // five times the median gap
    expect(isStalled(running(15_000, after, now), now)).toBe(false);
    expect(isStalled(running(10 * MIN, after, now), now)).toBe(false);
    expect(isStalled(running(21 * MIN, after, now), now)).toBe(true);
  });

  it('never stalls a run without heartbeats before the floor, however fast it reported', () => {
    const after = stallAfterMs({ heartbeatAt: null, eventGapsMs: [200, 180, 220] });
    expect(after).toBe(10 * MIN);
    expect(stallAfterMs({ heartbeatAt: null, eventGapsMs: [200] }, 2000)).toBe(2000);
    expect(stallAfterMs({ heartbeatAt: null, eventGapsMs: null })).toBe(10 * MIN);
  });

  it('stalls a trainer that sends heartbeats after several missed beats', () => {
    const after = stallAfterMs({ heartbeatAt: new Date(now), eventGapsMs: [4 * MIN] });
    expect(after).toBe(HEARTBEAT_STALL_MS);
    expect(isStalled(running(10_000, after, now), now)).toBe(false);
    expect(isStalled(running(31_000, after, now), now)).toBe(true);
  });

  it('only a running run can be stalled', () => {
    expect(isStalled({ ...running(60 * MIN, 1000, now), status: 'paused' }, now)).toBe(false);
  });
});
