import { describe, expect, it } from 'vitest';
import { axisTicks, bucketCount, bucketSpan, cellAt, HEAT_MAX_HEIGHT, rowHeight, rowOrder } from './heatmapLayout';

const MIN = 60_000;

describe('the fleet history heatmap layout', () => {
  it('gives few hosts tall rows and a thousand thin ones that scroll', () => {
    expect(rowHeight(3)).toBe(16);
    expect(rowHeight(60)).toBe(8);
    expect(rowHeight(1_000)).toBe(2);
    expect(rowHeight(0)).toBe(16);
    expect(rowHeight(60) * 60).toBeLessThanOrEqual(HEAT_MAX_HEIGHT);
  });

  it('finds the host and bucket under the pointer', () => {
    const g = { width: 600, rowH: 4, rows: 1_000, cols: 300 };
    expect(cellAt(0, 0, g)).toEqual({ row: 0, col: 0 });
    expect(cellAt(599.9, 3.9, g)).toEqual({ row: 0, col: 299 });
    expect(cellAt(301, 8, g)).toEqual({ row: 2, col: 150 });
    expect(cellAt(10, 3_999, g)).toEqual({ row: 999, col: 5 });
  });

  it('finds nothing outside the cells', () => {
    const g = { width: 600, rowH: 4, rows: 10, cols: 60 };
    expect(cellAt(-1, 2, g)).toBeNull();
    expect(cellAt(600, 2, g)).toBeNull();
    expect(cellAt(10, 40, g)).toBeNull();
    expect(cellAt(10, 2, { ...g, cols: 0 })).toBeNull();
  });

  it('names the time each bucket covers and spaces the axis over the whole range', () => {
    const h = { from: 1_000 * MIN, bucketMs: 5 * MIN, hosts: [] };
    expect(bucketSpan(h, 0)).toEqual({ start: 1_000 * MIN, end: 1_005 * MIN });
    expect(bucketSpan(h, 3)).toEqual({ start: 1_015 * MIN, end: 1_020 * MIN });
    expect(axisTicks(h, 12, 3)).toEqual([
      { at: 0, t: 1_000 * MIN },
      { at: 0.5, t: 1_030 * MIN },
      { at: 1, t: 1_060 * MIN },
    ]);
  });

  it('counts the buckets an answer has, or those up to now when no host has a value', () => {
    expect(bucketCount({ from: 0, bucketMs: MIN, hosts: [{ host: 'a', values: [1, null, 2] }] }, 99 * MIN)).toBe(3);
    expect(bucketCount({ from: 0, bucketMs: MIN, hosts: [] }, 60 * MIN)).toBe(61);
  });

  it('orders rows as the host table does by default: online hosts by name, then offline ones', () => {
    const hosts = [
      { host: 'gpu-b', online: true },
      { host: 'gpu-a', online: false },
      { host: 'gpu-c', online: true },
      { host: 'gpu-0', online: false },
    ];
    expect(rowOrder(hosts)).toEqual(['gpu-b', 'gpu-c', 'gpu-0', 'gpu-a']);
  });
});
