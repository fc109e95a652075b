/** The host page's time range: a span ending now (live) or at a fixed time, zoomed and panned by steps. */
export interface HostRange {
  spanMs: number;
  /** null: the range ends now and follows it. */
  endMs: number | null;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Spans of the preset buttons; the page names each through the formatter (15m, 7天). */
export const PRESETS: number[] = [15 * MIN, HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY, 365 * DAY];

export const bounds = (r: HostRange, now: number) => {
  const to = r.endMs ?? now;
  return { from: to - r.spanMs, to };
};

/** Zoom by `factor` around the middle (at least a minute, at most a year); live stays live. */
export function zoom(r: HostRange, factor: number, now: number): HostRange {
  const spanMs = Math.min(365 * DAY, Math.max(MIN, Math.round(r.spanMs * factor)));
  if (r.endMs === null) return { spanMs, endMs: null };
  const mid = r.endMs - r.spanMs / 2;
  return clampEnd({ spanMs, endMs: mid + spanMs / 2 }, now);
}

/** Move by `fraction` of the span (negative: back in time); reaching now makes it live again. */
export function pan(r: HostRange, fraction: number, now: number): HostRange {
  return clampEnd({ spanMs: r.spanMs, endMs: (r.endMs ?? now) + fraction * r.spanMs }, now);
}

function clampEnd(r: HostRange, now: number): HostRange {
  return r.endMs !== null && r.endMs >= now ? { spanMs: r.spanMs, endMs: null } : r;
}
