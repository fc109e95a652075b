/** A host's system sample as a collector sends it, with the GPUs given. */
import type { GpuStats, SystemSample } from '../../src/shared/systemSample';

export function gpuStats(id: number, util: number, temp: number): GpuStats {
  return {
    gpu_id: id,
    gpu_name: 'NVIDIA A100-SXM4-80GB',
    gpu_util: util,
    gpu_temp: temp,
    vram_used: 20,
    vram_total: 80,
    vram_percent: 25,
    power_usage: 300,
  };
}

export function hostSample(host: string, at: number, gpus: GpuStats[] = []): SystemSample {
  return {
    timestamp: new Date(at).toISOString(),
    host,
    cpu: { cpu_util: 10, cpu_count: 2, cpu_freq_current: 2300, cpu_freq_max: 0 },
    memory: { ram_used: 0.58, ram_total: 23.54, ram_percent: 3.7, ram_available: 22.68 },
    disk: { disk_used: 23.23, disk_total: 251.97, disk_percent: 22.9 },
    gpu: gpus,
    network: { bytes_sent: 0.73, bytes_recv: 562.35, packets_sent: 7036, packets_recv: 13183 },
  };
}
