/** A host's samples as named series (the keys system.history uses), kept for a rolling window. */
import type { SystemSample } from '@/shared/systemSample';

export type Point = { x: number; y: number | null };

/** The series of one sample: the same keys as system.history's. */
export function sampleValues(s: SystemSample): Record<string, number | null> {
  const v: Record<string, number | null> = {
    cpu_util: s.cpu.cpu_util,
    ram_percent: s.memory.ram_percent,
    disk_percent: s.disk.disk_percent,
    net_recv_bps: s.network.recv_bytes_per_s ?? null,
    net_sent_bps: s.network.sent_bytes_per_s ?? null,
  };
  for (const g of s.gpu) {
    v[`gpu${g.gpu_id}_util`] = g.gpu_util;
    v[`gpu${g.gpu_id}_vram_percent`] = g.vram_percent;
    v[`gpu${g.gpu_id}_temp`] = g.gpu_temp;
    v[`gpu${g.gpu_id}_power`] = g.power_usage;
  }
  return v;
}

export interface HistorySeries {
  t: number[];
  avg: (number | null)[];
}

/** Rolling buffers of a host's series; arrays grow in place so charts can redraw them as they are. */
export class HostSeries {
  readonly series = new Map<string, Point[]>();
  latest: SystemSample | null = null;
  private lastX = 0;

  constructor(private readonly windowMs: number) {}

  get(key: string): Point[] {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = []));
    return s;
  }

  push(sample: SystemSample): void {
    const x = Date.parse(sample.timestamp);
    if (!this.latest || x >= Date.parse(this.latest.timestamp)) this.latest = sample;
    if (x <= this.lastX) return; // a replayed or duplicate sample
    this.lastX = x;
    for (const [key, y] of Object.entries(sampleValues(sample))) this.get(key).push({ x, y });
    this.trim(x);
  }

  /** History from the server, placed before anything live already here. */
  prepend(history: Record<string, HistorySeries>): void {
    for (const [key, h] of Object.entries(history)) {
      const live = this.get(key);
      const firstLive = live[0]?.x ?? Number.POSITIVE_INFINITY;
      const older: Point[] = [];
      h.t.forEach((t, i) => {
        if (t < firstLive) older.push({ x: t, y: h.avg[i] ?? null });
      });
      live.unshift(...older);
      if (older.length) this.lastX = Math.max(this.lastX, live.at(-1)?.x ?? 0);
    }
    this.trim(Date.now());
  }

  private trim(now: number): void {
    const cutoff = now - this.windowMs * 1.2;
    for (const s of this.series.values()) {
      let drop = 0;
      while (drop < s.length && s[drop]!.x < cutoff) drop++;
      if (drop > 0) s.splice(0, drop);
    }
  }
}
