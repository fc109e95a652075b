import type { SeriesAxis } from '@/shared/schemas/queries';
import { formatClock } from '../format';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** Tick labels of an x axis: steps compact (12k), epochs whole, wall time as a clock. */
export function formatX(axis: SeriesAxis, v: number, span = 0): string {
  if (axis === 'time') return formatClock(v, span < 3 * 3600_000);
  if (axis === 'epoch') return Number.isInteger(v) ? String(v) : v.toFixed(1);
  return Math.abs(v) >= 10_000 ? compact.format(v) : String(Math.round(v * 100) / 100);
}

export function describeX(axis: SeriesAxis, v: number): string {
  if (axis === 'time') return new Date(v).toLocaleString(undefined, { hour12: false });
  if (axis === 'epoch') return `epoch ${Number.isInteger(v) ? v : v.toFixed(2)}`;
  return `step ${Math.round(v).toLocaleString()}`;
}
