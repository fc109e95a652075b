'use client';
/**
 * The fleet as the compact `system.fleet` message has it (once a second), with a short
 * history per host for the table's sparklines, kept in place (version announces changes).
 */
import { useState } from 'react';
import { FLEET_GPU_VALUES, type FleetHost, type FleetSnapshot } from '@/shared/fleet';
import { api } from '@/trpc/react';

/** Sparkline points kept per host (one a second). */
export const SPARK_POINTS = 60;

/** A host's mean GPU utilisation (its CPU's when it has no GPU). */
export function meanGpuUtil(h: FleetHost): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < h.gpu.length; i += FLEET_GPU_VALUES) {
    const v = h.gpu[i];
    if (v !== null && v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : h.cpuUtil;
}

export function useFleet() {
  const [snapshot, setSnapshot] = useState<FleetSnapshot | null>(null);
  // Mutable on purpose: lines grow in place and each new snapshot announces them.
  const [sparks] = useState(() => new Map<string, number[]>());
  api.system.fleet.useSubscription(undefined, {
    onData: (s) => {
      for (const h of s.hosts) {
        if (!h.online) continue;
        let line = sparks.get(h.host);
        if (!line) sparks.set(h.host, (line = []));
        line.push(meanGpuUtil(h));
        if (line.length > SPARK_POINTS) line.shift();
      }
      setSnapshot(s);
    },
  });
  return { snapshot, sparks };
}
