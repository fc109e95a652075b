/** A simulated 8-GPU host's sample, as rich as the collector's (for the fleet benchmark and browser test). */
import type { SystemSample } from '../../src/shared/systemSample';

/**
 * Host i's sample at `at`: 8 GPUs, 32 cores, two mounts and interfaces, labels rack r<i % 40>
 * and zone a/b. Numbers carry the digits the collector sends (it rounds utilisation to 0.1 %,
 * and nvidia-smi prints power in hundredths of a watt).
 */
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function simulatedSample(host: string, at: number, i: number): SystemSample {
  const load = (k: number) => (Math.sin(at / 60_000 + i + k) + 1) * 50;
  return {
    timestamp: new Date(at).toISOString(),
    host,
    labels: { rack: `r${i % 40}`, zone: i % 2 ? 'a' : 'b' },
    cpu: {
      cpu_util: round(load(0), 1),
      cpu_count: 32,
      cpu_freq_current: 2400,
      cpu_freq_max: 3500,
      per_core: Array.from({ length: 32 }, (_, k) => Math.round(load(k) * 10) / 10),
      load_avg: [4.1, 3.9, 3.5],
    },
    memory: { ram_used: 412.5, ram_total: 1007.6, ram_percent: 40.9, ram_available: 595.1, swap_used: 0, swap_total: 8 },
    disk: {
      disk_used: 1200.4,
      disk_total: 3500,
      disk_percent: 34.3,
      read_bytes_per_s: 1_048_576,
      write_bytes_per_s: 4_194_304,
      filesystems: [
        { mount: '/', used: 120.4, total: 500, percent: 24.1 },
        { mount: '/data', used: 1080, total: 3000, percent: 36 },
      ],
    },
    gpu: Array.from({ length: 8 }, (_, g) => ({
      gpu_id: g,
      gpu_name: 'NVIDIA H100 80GB HBM3',
      gpu_util: Math.round(load(g)),
      gpu_temp: 40 + Math.round(load(g) / 3),
      vram_used: 61.2,
      vram_total: 79.6,
      vram_percent: 76.9,
      power_usage: round(150 + load(g) * 5, 2),
      power_limit: 700,
      fan_percent: null,
      clock_sm_mhz: 1980,
      clock_mem_mhz: 2619,
      processes: [{ pid: 4242 + g, name: 'python train.py', used_mib: 62_000 }],
    })),
    network: {
      bytes_sent: 123_456.7,
      bytes_recv: 654_321.2,
      packets_sent: 9_876_543,
      packets_recv: 8_765_432,
      sent_bytes_per_s: 12_000_000,
      recv_bytes_per_s: 48_000_000,
      interfaces: [
        { name: 'eth0', sent_bytes_per_s: 2_000_000, recv_bytes_per_s: 8_000_000 },
        { name: 'ib0', sent_bytes_per_s: 10_000_000, recv_bytes_per_s: 40_000_000 },
      ],
    },
  };
}
