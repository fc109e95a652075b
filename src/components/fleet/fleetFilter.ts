/** The fleet page's filter: text (host name or a label value) and one label, shared by grid and table. */
import type { FleetHost } from '@/shared/fleet';

export interface FleetFilter {
  text: string;
  /** "name=value", or "" for every host. */
  label: string;
}

export function matches(h: FleetHost, f: FleetFilter): boolean {
  if (f.label) {
    const eq = f.label.indexOf('=');
    if (h.labels[f.label.slice(0, eq)] !== f.label.slice(eq + 1)) return false;
  }
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  return h.host.toLowerCase().includes(text) || Object.values(h.labels).some((v) => v.toLowerCase().includes(text));
}

/** Every name=value label pair in the fleet, sorted. */
export function labelPairs(hosts: FleetHost[]): string[] {
  const pairs = new Set<string>();
  for (const h of hosts) for (const [k, v] of Object.entries(h.labels)) pairs.add(`${k}=${v}`);
  return [...pairs].sort();
}
