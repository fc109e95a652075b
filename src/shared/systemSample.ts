/**
 * One host's system sample, as the plain /api/v1/ws/system stream sends it (see
 * shared/protocol.md): units are GiB, MiB, %, MHz, W and °C as named. The fields of the
 * older API are kept as they were; richer ones sit beside them as optional fields.
 */
export interface GpuStats {
  gpu_id: number;
  gpu_name: string;
  gpu_util: number | null;
  gpu_temp: number | null;
  vram_used: number | null;
  vram_total: number | null;
  vram_percent: number | null;
  power_usage: number | null;
  power_limit?: number | null;
  fan_percent?: number | null;
  clock_sm_mhz?: number | null;
  clock_mem_mhz?: number | null;
  processes?: { pid: number; name: string; used_mib: number }[];
}

export interface SystemSample {
  /** ISO-8601 UTC with Z. */
  timestamp: string;
  host: string;
  /** The collector's labels (`--label rack=a3`), carried with every sample. */
  labels?: Record<string, string>;
  cpu: {
    cpu_util: number;
    cpu_count: number;
    cpu_freq_current: number;
    cpu_freq_max: number;
    per_core?: number[];
    load_avg?: [number, number, number];
  };
  memory: {
    ram_used: number;
    ram_total: number;
    ram_percent: number;
    ram_available: number;
    swap_used?: number;
    swap_total?: number;
  };
  disk: {
    disk_used: number;
    disk_total: number;
    disk_percent: number;
    read_bytes_per_s?: number;
    write_bytes_per_s?: number;
    filesystems?: { mount: string; used: number; total: number; percent: number }[];
  };
  gpu: GpuStats[];
  network: {
    /** Cumulative MiB since boot. */
    bytes_sent: number;
    bytes_recv: number;
    packets_sent: number;
    packets_recv: number;
    sent_bytes_per_s?: number;
    recv_bytes_per_s?: number;
    interfaces?: { name: string; sent_bytes_per_s: number; recv_bytes_per_s: number }[];
  };
}

/** A host that has reported samples, as `system.hosts` lists it. */
export interface HostStatus {
  host: string;
  /** False once no sample has arrived for a few seconds. */
  online: boolean;
  lastSeenAt: Date;
  /** The labels of the host's newest sample that had any. */
  labels: Record<string, string>;
  latest: SystemSample | null;
}

/** One bucketed series: parallel arrays, `t` the bucket start in epoch ms. */
export interface SystemSeries {
  t: number[];
  avg: number[];
  min: number[];
  max: number[];
}

/**
 * A host's history, `bucketMs` wide buckets. Series keys: cpu_util, ram_percent,
 * swap_percent, disk_percent, disk_read_bps, disk_write_bps, net_recv_bps, net_sent_bps,
 * load1, and per GPU gpu<N>_util, gpu<N>_vram_percent, gpu<N>_temp, gpu<N>_power; a
 * series with no value in the range is left out.
 */
export interface SystemHistory {
  host: string;
  bucketMs: number;
  series: Record<string, SystemSeries>;
}

/** A run that ran on a host, for marking on the host's time axis. */
export interface HostRun {
  experimentId: string;
  status: string;
  /** Epoch ms; `end` null while it runs. */
  start: number;
  end: number | null;
}
