/**
 * Where things are on the fleet history heatmap: one row per host, one column per bucket,
 * the canvas as wide as its box and rows as tall as fit (a scrolling box beyond that).
 */
import type { FleetHistory } from '@/shared/fleetHistory';
import { compareNames, onlineFirst } from './hostOrder';

/** The box's height before it scrolls, in CSS pixels. */
export const HEAT_MAX_HEIGHT = 480;
const MIN_ROW = 2;
const MAX_ROW = 16;

/** Ranges offered, ending now; the page names each through the formatter (1h, 7天). */
export const HEAT_RANGES: number[] = [3_600_000, 6 * 3_600_000, 24 * 3_600_000, 7 * 24 * 3_600_000];

/** A row's height: the rows fill the box, each 2 to 16 pixels (1,000 hosts: 2 px, scrolling). */
export function rowHeight(rows: number): number {
  return Math.max(MIN_ROW, Math.min(MAX_ROW, Math.floor(HEAT_MAX_HEIGHT / Math.max(1, rows))));
}

export interface HeatGeometry {
  /** The canvas's CSS width. */
  width: number;
  rowH: number;
  rows: number;
  cols: number;
}

/** The cell under a point of the canvas (CSS pixels from its top left), or null outside. */
export function cellAt(x: number, y: number, g: HeatGeometry): { row: number; col: number } | null {
  if (x < 0 || y < 0 || x >= g.width || g.cols === 0) return null;
  const row = Math.floor(y / g.rowH);
  if (row >= g.rows) return null;
  return { row, col: Math.min(g.cols - 1, Math.floor((x / g.width) * g.cols)) };
}

/** The buckets of an answer: as many as its longest host has, else as many as reach `now`. */
export function bucketCount(h: Pick<FleetHistory, 'from' | 'bucketMs' | 'hosts'>, now: number): number {
  let n = 0;
  for (const host of h.hosts) n = Math.max(n, host.values.length);
  return n || Math.max(1, Math.floor((now - h.from) / h.bucketMs) + 1);
}

/** The time a bucket covers: [start, end). */
export function bucketSpan(h: Pick<FleetHistory, 'from' | 'bucketMs'>, col: number): { start: number; end: number } {
  const start = h.from + col * h.bucketMs;
  return { start, end: start + h.bucketMs };
}

/** Times for the axis under the canvas: `count` evenly spaced, as a fraction of the width. */
export function axisTicks(h: Pick<FleetHistory, 'from' | 'bucketMs'>, cols: number, count = 5): { at: number; t: number }[] {
  const span = cols * h.bucketMs;
  return Array.from({ length: count }, (_, i) => {
    const at = i / (count - 1);
    return { at, t: h.from + at * span };
  });
}

/** Rows in the host table's default order: online hosts by name, then offline ones. */
export function rowOrder(hosts: readonly { host: string; online: boolean }[]): string[] {
  const { online, offline } = onlineFirst(hosts, (a, b) => compareNames(a.host, b.host));
  return [...online, ...offline].map((h) => h.host);
}
