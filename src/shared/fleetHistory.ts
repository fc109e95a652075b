/**
 * One metric of every host over a range (system.fleetHistory): the metrics it can chart
 * and the columnar answer, one value per bucket per host, small enough for 1,000 hosts.
 */

/** Host-wide values, named as the host's own series (server/services/system/hostColumns.ts). */
export const FLEET_HOST_METRICS = [
  'cpu_util',
  'ram_percent',
  'swap_percent',
  'disk_percent',
  'disk_read_bps',
  'disk_write_bps',
  'net_sent_bps',
  'net_recv_bps',
  'load1',
] as const;

/**
 * One number per host from its GPUs: mean utilisation and memory use over the GPUs that
 * reported, the hottest GPU's peak temperature, the power of all its GPUs together.
 */
export const FLEET_GPU_METRICS = ['gpu_util', 'gpu_vram_percent', 'gpu_temp', 'gpu_power'] as const;

export const FLEET_METRICS = [...FLEET_HOST_METRICS, ...FLEET_GPU_METRICS] as const;
export type FleetMetric = (typeof FLEET_METRICS)[number];

export interface FleetHistory {
  metric: FleetMetric;
  /** The rollup tier read (its not-yet-rolled right end comes from the tier below). */
  tier: '1m' | '10m' | '1h';
  bucketMs: number;
  /** Epoch ms of the first bucket's start: value i covers [from + i * bucketMs, + bucketMs). */
  from: number;
  /** Hosts with at least one value in the range, by name; null where a bucket has none. */
  hosts: { host: string; values: (number | null)[] }[];
}
