import type { SeriesAxis } from '@/shared/schemas/queries';
import type { Format } from '../format';

/** Tick labels of an x axis: steps compact (12K, 1.2万), epochs whole, wall time as a clock. */
export function formatX(fmt: Format, axis: SeriesAxis, v: number, span = 0): string {
  if (axis === 'time') return fmt.clock(v, span < 3 * 3600_000);
  if (axis === 'epoch') return Number.isInteger(v) ? String(v) : v.toFixed(1);
  return Math.abs(v) >= 10_000 ? fmt.compact(v) : String(Math.round(v * 100) / 100);
}
