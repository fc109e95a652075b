/**
 * The fleet history heatmap's metrics and colours: which `system.fleetHistory` metric each
 * choice reads, its scale (the GPU grid's), and one pass that turns a host-by-bucket table
 * into pixels, one per cell, through a 256-colour table rather than a colour per cell.
 */
import type { FleetMetric } from '@/shared/fleetHistory';
import { OFFLINE_RGB, scaleRgb } from './gpuColors';

export type HeatMetric = 'util' | 'mem' | 'temp' | 'power' | 'cpu';

/** How a value is written: through format.ts's percent, measure (°C) or watts. */
export type HeatUnit = 'percent' | 'celsius' | 'watts';

/**
 * Names are in the messages (`fleet.history.metrics.<key>`). Power has no fixed top: a
 * host's GPUs together draw anything from a few hundred watts to several kilowatts, so the
 * scale runs to the largest value shown (see powerTop).
 */
export const HEAT_METRICS: { key: HeatMetric; metric: FleetMetric; min: number; max: number | null; unit: HeatUnit }[] = [
  { key: 'util', metric: 'gpu_util', min: 0, max: 100, unit: 'percent' },
  { key: 'mem', metric: 'gpu_vram_percent', min: 0, max: 100, unit: 'percent' },
  { key: 'temp', metric: 'gpu_temp', min: 30, max: 90, unit: 'celsius' },
  { key: 'power', metric: 'gpu_power', min: 0, max: null, unit: 'watts' },
  { key: 'cpu', metric: 'cpu_util', min: 0, max: 100, unit: 'percent' },
];

export const heatMetric = (key: HeatMetric) => HEAT_METRICS.find((m) => m.key === key)!;
/** The choice that reads a metric (the answer names its metric; the scale follows it). */
export const heatMetricOf = (metric: FleetMetric) => HEAT_METRICS.find((m) => m.metric === metric) ?? HEAT_METRICS[0]!;

/** The largest value rounded up to 1, 2 or 5 times a power of ten (at least 100 W). */
export function powerTop(rows: Iterable<readonly (number | null)[]>): number {
  let top = 0;
  for (const values of rows) for (const v of values) if (v !== null && v > top) top = v;
  if (top <= 100) return 100;
  const p = 10 ** Math.floor(Math.log10(top));
  return ([1, 2, 5, 10].find((k) => k * p >= top) ?? 10) * p;
}

/** The scale's bounds for an answer's values. */
export function heatBounds(key: HeatMetric, rows: Iterable<readonly (number | null)[]>): { min: number; max: number } {
  const m = heatMetric(key);
  return { min: m.min, max: m.max ?? powerTop(rows) };
}

/** 256 colours from min to max, as RGB triples. */
function colourTable(): Uint8ClampedArray {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) table.set(scaleRgb(i, 0, 255), i * 3);
  return table;
}
const TABLE = colourTable();

/**
 * RGBA pixels of a rows x cols image: row r is rows[r] (missing: a host with no value in
 * the range), a null value or a missing one is OFFLINE_RGB. `out` is filled when given
 * (an ImageData's buffer), else made.
 */
export function paintHeatmap(
  rows: readonly (readonly (number | null)[] | undefined)[],
  cols: number,
  min: number,
  max: number,
  out = new Uint8ClampedArray(rows.length * cols * 4),
): Uint8ClampedArray {
  const scale = 255 / (max - min || 1);
  const [nr, ng, nb] = OFFLINE_RGB;
  let p = 0;
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r];
    for (let c = 0; c < cols; c++, p += 4) {
      const v = values?.[c];
      if (v === null || v === undefined || Number.isNaN(v)) {
        out[p] = nr;
        out[p + 1] = ng;
        out[p + 2] = nb;
      } else {
        const i = Math.max(0, Math.min(255, Math.round((v - min) * scale))) * 3;
        out[p] = TABLE[i]!;
        out[p + 1] = TABLE[i + 1]!;
        out[p + 2] = TABLE[i + 2]!;
      }
      out[p + 3] = 255;
    }
  }
  return out;
}
