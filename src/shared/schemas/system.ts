/**
 * Inputs of the system API: host samples as collectors report them, and the history and
 * live queries the web app makes. The sample's shape is the one in ../systemSample.ts.
 */
import { z } from 'zod';
import { FLEET_METRICS } from '../fleetHistory';
import { LIMITS } from '../limits';
import type { SystemSample } from '../systemSample';

/** A collector buffers at most 10 minutes at 1 Hz; a replay sends them in batches of this size or less. */
export const MAX_SAMPLES_PER_REPORT = 600;

const num = z.number().finite();
const maybe = num.nullable();
const host = z.string().trim().min(1, 'must not be empty').max(LIMITS.hostLength);

const gpuStats = z.object({
  gpu_id: z.number().int().min(0),
  gpu_name: z.string().max(256),
  gpu_util: maybe,
  gpu_temp: maybe,
  vram_used: maybe,
  vram_total: maybe,
  vram_percent: maybe,
  power_usage: maybe,
  power_limit: maybe.optional(),
  fan_percent: maybe.optional(),
  clock_sm_mhz: maybe.optional(),
  clock_mem_mhz: maybe.optional(),
  processes: z
    .array(z.object({ pid: z.number().int(), name: z.string().max(1024), used_mib: num }))
    .max(1024)
    .optional(),
});

/**
 * A sample dated ahead of the server's clock would stay a host's "latest" and hide every
 * real one after it; a few minutes are allowed for clock skew between hosts.
 */
const sampleTime = z.iso.datetime({ offset: true }).refine((t) => Date.parse(t) <= Date.now() + LIMITS.sampleFutureMs, {
  message: `must not be more than ${LIMITS.sampleFutureMs / 60_000} minutes in the future`,
});

/** Collector labels (`--label rack=a3`): names usable as Prometheus label names too. */
export const MAX_HOST_LABELS = 32;
export const HOST_LABEL_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const hostLabels = z.record(z.string(), z.string().max(256)).superRefine((labels, ctx) => {
  const names = Object.keys(labels);
  if (names.length > MAX_HOST_LABELS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_HOST_LABELS} labels` });
  for (const name of names) {
    if (!HOST_LABEL_NAME.test(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'a label name is a letter, then letters, digits or _ (63 at most)' });
    }
  }
});

export const systemSample = z.object({
  timestamp: sampleTime,
  host,
  labels: hostLabels.optional(),
  cpu: z.object({
    cpu_util: num,
    cpu_count: z.number().int().min(0),
    cpu_freq_current: num,
    cpu_freq_max: num,
    per_core: z.array(num).max(4096).optional(),
    load_avg: z.tuple([num, num, num]).optional(),
  }),
  memory: z.object({
    ram_used: num,
    ram_total: num,
    ram_percent: num,
    ram_available: num,
    swap_used: num.optional(),
    swap_total: num.optional(),
  }),
  disk: z.object({
    disk_used: num,
    disk_total: num,
    disk_percent: num,
    read_bytes_per_s: num.optional(),
    write_bytes_per_s: num.optional(),
    filesystems: z
      .array(z.object({ mount: z.string().max(4096), used: num, total: num, percent: num }))
      .max(256)
      .optional(),
  }),
  gpu: z.array(gpuStats).max(64),
  network: z.object({
    bytes_sent: num,
    bytes_recv: num,
    packets_sent: num,
    packets_recv: num,
    sent_bytes_per_s: num.optional(),
    recv_bytes_per_s: num.optional(),
    interfaces: z
      .array(z.object({ name: z.string().max(64), sent_bytes_per_s: num, recv_bytes_per_s: num }))
      .max(256)
      .optional(),
  }),
}) satisfies z.ZodType<SystemSample>;

export const systemReportInput = z.object({
  samples: z.array(systemSample).max(MAX_SAMPLES_PER_REPORT),
});
export type SystemReportInput = z.input<typeof systemReportInput>;

export const systemHistoryInput = z.object({
  host,
  /** Default: an hour before `to`. */
  from: z.coerce.date().optional(),
  /** Default: now. */
  to: z.coerce.date().optional(),
  /** At most this many points per series; samples are averaged into buckets to fit. */
  maxPoints: z.number().int().min(2).max(10_000).default(600),
});
export type SystemHistoryInput = z.input<typeof systemHistoryInput>;

export const systemFleetHistoryInput = z.object({
  metric: z.enum(FLEET_METRICS),
  /** Default: 24 hours before `to`. */
  from: z.coerce.date().optional(),
  /** Default: now. */
  to: z.coerce.date().optional(),
  /** At most this many buckets per host (1,000 hosts x 1,000 values is the largest answer). */
  maxPoints: z.number().int().min(2).max(1000).default(300),
});
export type SystemFleetHistoryInput = z.input<typeof systemFleetHistoryInput>;

export const systemLiveInput = z.object({ host: host.optional() }).default({});
export type SystemLiveInput = z.input<typeof systemLiveInput>;

export const systemHostRunsInput = z.object({
  host,
  from: z.coerce.date(),
  /** Default: now. */
  to: z.coerce.date().optional(),
});
export type SystemHostRunsInput = z.input<typeof systemHostRunsInput>;
