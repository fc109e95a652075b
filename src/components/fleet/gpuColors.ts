/** Colours of the GPU grid and the fleet history: one scale per metric, grey for an offline host or no value. */
export type GridMetric = 'util' | 'mem' | 'temp';

/** Names are in the messages (`fleet.metrics.<key>`). */
export const GRID_METRICS: { key: GridMetric; index: number; min: number; max: number; unit: string }[] = [
  { key: 'util', index: 0, min: 0, max: 100, unit: '%' },
  { key: 'mem', index: 1, min: 0, max: 100, unit: '%' },
  { key: 'temp', index: 2, min: 30, max: 90, unit: '°C' },
];

export const OFFLINE_RGB: readonly [number, number, number] = [63, 68, 81];
export const OFFLINE_COLOR = `rgb(${OFFLINE_RGB.join(', ')})`;

/** Dark blue (low) through teal and amber to red (high). */
const STOPS: [number, number, number][] = [
  [30, 41, 59],
  [20, 184, 166],
  [250, 204, 21],
  [239, 68, 68],
];

/** The scale's colour of a value, as red, green and blue; OFFLINE_RGB for none. */
export function scaleRgb(value: number | null | undefined, min: number, max: number): [number, number, number] {
  if (value === null || value === undefined || Number.isNaN(value)) return [...OFFLINE_RGB];
  const t = Math.max(0, Math.min(1, (value - min) / (max - min || 1))) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

/** The scale's colour of a value as CSS; OFFLINE_COLOR for none. */
export function scaleColor(value: number | null | undefined, min: number, max: number): string {
  const c = scaleRgb(value, min, max);
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** The scale as a CSS gradient, low to high (the legend). */
export const scaleGradient = () => `linear-gradient(to right, ${STOPS.map((c) => `rgb(${c.join(', ')})`).join(', ')})`;
