/**
 * Every host and GPU in the Prometheus text exposition format (version 0.0.4), so a
 * Prometheus or Grafana that teams already run can scrape the fleet. Host metrics follow
 * node_exporter's names where it has one for the value (node_load1, node_memory_*_bytes,
 * node_filesystem_*_bytes), cvsm_* otherwise; GPU metrics follow dcgm-exporter's
 * (DCGM_FI_DEV_*). Every series has a `host` label, GPU series a `gpu` label too.
 * An offline host keeps only cvsm_host_up 0 and its labels: stale numbers are left out.
 */
import type { HostStatus, SystemSample } from '../../shared/systemSample';

const GiB = 1024 ** 3;

type Labels = Record<string, string | number>;

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeValue(String(v))}"`)
    .join(',')}}`;

class Exposition {
  private readonly families = new Map<string, { help: string; type: string; lines: string[] }>();

  add(name: string, help: string, labels: Labels, value: number | null | undefined, type = 'gauge'): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    let family = this.families.get(name);
    if (!family) this.families.set(name, (family = { help, type, lines: [] }));
    family.lines.push(`${name}${labelText(labels)} ${value}`);
  }

  text(): string {
    let out = '';
    for (const [name, f] of this.families) out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n${f.lines.join('\n')}\n`;
    return out;
  }
}

function hostMetrics(m: Exposition, s: SystemSample): void {
  const host = { host: s.host };
  m.add('cvsm_cpu_utilisation_percent', 'CPU utilisation over the last second, all cores.', host, s.cpu.cpu_util);
  s.cpu.per_core?.forEach((v, cpu) =>
    m.add('cvsm_cpu_core_utilisation_percent', 'CPU utilisation of one core.', { ...host, cpu }, v),
  );
  m.add('cvsm_cpu_count', 'Logical CPUs.', host, s.cpu.cpu_count);
  m.add('node_cpu_scaling_frequency_hertz', 'Mean current CPU clock.', host, s.cpu.cpu_freq_current * 1e6);
  m.add('node_load1', '1-minute load average.', host, s.cpu.load_avg?.[0]);
  m.add('node_load5', '5-minute load average.', host, s.cpu.load_avg?.[1]);
  m.add('node_load15', '15-minute load average.', host, s.cpu.load_avg?.[2]);
  m.add('node_memory_MemTotal_bytes', 'Memory.', host, s.memory.ram_total * GiB);
  m.add('node_memory_MemAvailable_bytes', 'Memory available.', host, s.memory.ram_available * GiB);
  m.add('node_memory_SwapTotal_bytes', 'Swap.', host, s.memory.swap_total === undefined ? null : s.memory.swap_total * GiB);
  m.add(
    'node_memory_SwapFree_bytes',
    'Swap free.',
    host,
    s.memory.swap_total === undefined ? null : (s.memory.swap_total - (s.memory.swap_used ?? 0)) * GiB,
  );
  for (const fs of s.disk.filesystems ?? []) {
    const labels = { ...host, mountpoint: fs.mount };
    m.add('node_filesystem_size_bytes', 'Filesystem size.', labels, fs.total * GiB);
    m.add('node_filesystem_avail_bytes', 'Filesystem space available.', labels, (fs.total - fs.used) * GiB);
  }
  m.add('cvsm_disk_read_bytes_per_second', 'Disk reads, all disks.', host, s.disk.read_bytes_per_s);
  m.add('cvsm_disk_written_bytes_per_second', 'Disk writes, all disks.', host, s.disk.write_bytes_per_s);
  for (const nic of s.network.interfaces ?? []) {
    const labels = { ...host, device: nic.name };
    m.add('cvsm_network_receive_bytes_per_second', 'Bytes received per second.', labels, nic.recv_bytes_per_s);
    m.add('cvsm_network_transmit_bytes_per_second', 'Bytes sent per second.', labels, nic.sent_bytes_per_s);
  }
  for (const g of s.gpu) {
    const labels = { ...host, gpu: g.gpu_id, modelName: g.gpu_name };
    m.add('DCGM_FI_DEV_GPU_UTIL', 'GPU utilisation (in %).', labels, g.gpu_util);
    m.add('DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', labels, g.vram_used === null ? null : g.vram_used * 1024);
    m.add(
      'DCGM_FI_DEV_FB_FREE',
      'Framebuffer memory free (in MiB).',
      labels,
      g.vram_used === null || g.vram_total === null ? null : (g.vram_total - g.vram_used) * 1024,
    );
    m.add('DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', labels, g.gpu_temp);
    m.add('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', labels, g.power_usage);
    m.add('DCGM_FI_DEV_POWER_MGMT_LIMIT', 'Power limit (in W).', labels, g.power_limit);
    m.add('DCGM_FI_DEV_FAN_SPEED', 'Fan speed (in %).', labels, g.fan_percent);
    m.add('DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', labels, g.clock_sm_mhz);
    m.add('DCGM_FI_DEV_MEM_CLOCK', 'Memory clock frequency (in MHz).', labels, g.clock_mem_mhz);
  }
}

export function prometheusText(hosts: HostStatus[]): string {
  const m = new Exposition();
  for (const h of hosts) {
    m.add('cvsm_host_up', '1 while the host reports (a sample within the last 5 s).', { host: h.host }, h.online ? 1 : 0);
    // The collector's labels, kube-state-metrics style, to join on `host` in queries.
    const labels = Object.fromEntries(Object.entries(h.labels).map(([k, v]) => [`label_${k}`, v]));
    m.add('cvsm_host_labels', "The labels the host's collector reports.", { host: h.host, ...labels }, 1);
  }
  for (const h of hosts) if (h.online && h.latest) hostMetrics(m, h.latest);
  return m.text();
}
