/**
 * Builds one SystemSample per tick. Static facts (core count, maximum clock, which block
 * devices are disks) are read once at start, through `systeminformation` where it helps;
 * everything that changes is read from /proc each tick, which is cheap. Rates are the
 * difference to the previous tick over the time between them.
 */
import { hostname } from 'node:os';
import si from 'systeminformation';
import type { SystemSample } from '../shared/systemSample';
import { GpuMonitor, type GpuMonitorOptions } from './gpuMonitor';
import {
  frequencyReader,
  fsUsage,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseMounts,
  parseNetDev,
  parseProcStat,
  physicalDisks,
  readText,
  utilisation,
  type CpuTimes,
  type DiskCounters,
  type Mount,
  type NetCounters,
} from './procStats';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
/** Mounts come and go rarely; /proc/mounts is read again this often (in ticks). */
const MOUNTS_EVERY = 30;

interface Counters {
  at: number;
  cpu: { total: CpuTimes; cores: CpuTimes[] };
  disk: DiskCounters;
  net: Map<string, NetCounters>;
}

export interface SamplerOptions {
  host?: string;
  /** Carried with every sample (`--label rack=a3`). */
  labels?: Record<string, string>;
  gpu?: GpuMonitorOptions;
}

export class Sampler {
  readonly host: string;
  readonly labels: Record<string, string> | undefined;
  readonly gpus: GpuMonitor;
  private cpuCount = 0;
  private cpuFreqMax = 0;
  private disks = new Set<string>();
  private mounts: Mount[] = [];
  private readFrequencies: () => Promise<number[]> = async () => [];
  private previous: Counters | null = null;
  private ticks = 0;

  constructor(options: SamplerOptions = {}) {
    this.host = options.host ?? hostname();
    this.labels = options.labels && Object.keys(options.labels).length ? options.labels : undefined;
    this.gpus = new GpuMonitor(options.gpu);
  }

  /** Reads the static facts and a first set of counters, and starts nvidia-smi. */
  async start(): Promise<void> {
    this.gpus.start();
    const [cpu, disks, mounts] = await Promise.all([
      si.cpu().catch(() => null),
      physicalDisks(),
      readText('/proc/mounts').then(parseMounts, () => []),
    ]);
    this.disks = disks;
    this.mounts = mounts;
    const counters = await this.readCounters();
    this.previous = counters;
    this.cpuCount = counters.cpu.cores.length || cpu?.cores || 0;
    const sysfsMax = await readText('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq').then(
      (t) => Number(t) / 1000,
      () => 0,
    );
    // systeminformation reports GHz; 0 where the machine does not say (as the older API did).
    this.cpuFreqMax = round(sysfsMax || (cpu?.speedMax ?? 0) * 1000, 0);
    this.readFrequencies = await frequencyReader(this.cpuCount);
  }

  stop(): void {
    this.gpus.stop();
  }

  /** A sample stamped with the given time (the tick's whole second). */
  async sample(timestamp: number): Promise<SystemSample> {
    if (++this.ticks % MOUNTS_EVERY === 0) {
      this.mounts = await readText('/proc/mounts').then(parseMounts, () => this.mounts);
    }
    const [now, meminfo, loadavg, freqs, root, filesystems] = await Promise.all([
      this.readCounters(),
      readText('/proc/meminfo').then(parseMeminfo),
      readText('/proc/loadavg').then(parseLoadavg),
      this.readFrequencies(),
      fsUsage('/'),
      Promise.all(this.mounts.map(async (m) => ({ mount: m.mount, usage: await fsUsage(m.mount) }))),
    ]);
    const prev = this.previous ?? now;
    this.previous = now;
    const dt = (now.at - prev.at) / 1000;
    const rate = (a: number, b: number) => (dt > 0 ? Math.max(0, Math.round((b - a) / dt)) : 0);

    const m = (k: string) => meminfo[k] ?? 0;
    const total = m('MemTotal');
    const available = meminfo.MemAvailable ?? m('MemFree') + m('Cached') + m('Buffers');
    // "used" as psutil counts it (the older API used psutil): without buffers and page cache.
    const used = Math.max(0, total - m('MemFree') - m('Buffers') - m('Cached') - m('SReclaimable'));

    let sentBps = 0;
    let recvBps = 0;
    const totals = { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 };
    const interfaces: NonNullable<SystemSample['network']['interfaces']> = [];
    for (const [name, c] of now.net) {
      const p = prev.net.get(name) ?? c;
      const recv = rate(p.rxBytes, c.rxBytes);
      const sent = rate(p.txBytes, c.txBytes);
      interfaces.push({ name, recv_bytes_per_s: recv, sent_bytes_per_s: sent });
      recvBps += recv;
      sentBps += sent;
      totals.rxBytes += c.rxBytes;
      totals.txBytes += c.txBytes;
      totals.rxPackets += c.rxPackets;
      totals.txPackets += c.txPackets;
    }

    const percent = (usedBytes: number, availableBytes: number) =>
      usedBytes + availableBytes > 0 ? round((usedBytes / (usedBytes + availableBytes)) * 100, 1) : 0;

    return {
      timestamp: new Date(timestamp).toISOString(),
      host: this.host,
      ...(this.labels ? { labels: this.labels } : {}),
      cpu: {
        cpu_util: round(utilisation(prev.cpu.total, now.cpu.total), 1),
        cpu_count: this.cpuCount,
        cpu_freq_current: freqs.length ? round(freqs.reduce((a, b) => a + b, 0) / freqs.length, 0) : 0,
        cpu_freq_max: this.cpuFreqMax,
        per_core: now.cpu.cores.map((c, i) => round(utilisation(prev.cpu.cores[i] ?? c, c), 1)),
        load_avg: loadavg,
      },
      memory: {
        ram_used: round(used / GiB, 2),
        ram_total: round(total / GiB, 2),
        ram_percent: total > 0 ? round(((total - available) / total) * 100, 1) : 0,
        ram_available: round(available / GiB, 2),
        swap_used: round((m('SwapTotal') - m('SwapFree')) / GiB, 2),
        swap_total: round(m('SwapTotal') / GiB, 2),
      },
      disk: {
        disk_used: round((root?.used ?? 0) / GiB, 2),
        disk_total: round((root?.total ?? 0) / GiB, 2),
        disk_percent: root ? percent(root.used, root.available) : 0,
        read_bytes_per_s: rate(prev.disk.readBytes, now.disk.readBytes),
        write_bytes_per_s: rate(prev.disk.writeBytes, now.disk.writeBytes),
        filesystems: filesystems.flatMap(({ mount, usage }) =>
          usage && usage.total > 0
            ? [
                {
                  mount,
                  used: round(usage.used / GiB, 2),
                  total: round(usage.total / GiB, 2),
                  percent: percent(usage.used, usage.available),
                },
              ]
            : [],
        ),
      },
      gpu: this.gpus.snapshot(),
      network: {
        bytes_sent: round(totals.txBytes / MiB, 2),
        bytes_recv: round(totals.rxBytes / MiB, 2),
        packets_sent: totals.txPackets,
        packets_recv: totals.rxPackets,
        sent_bytes_per_s: sentBps,
        recv_bytes_per_s: recvBps,
        interfaces,
      },
    };
  }

  private async readCounters(): Promise<Counters> {
    const [stat, diskstats, netdev] = await Promise.all([
      readText('/proc/stat'),
      readText('/proc/diskstats').catch(() => ''),
      readText('/proc/net/dev').catch(() => ''),
    ]);
    return {
      at: performance.now(),
      cpu: parseProcStat(stat),
      disk: parseDiskstats(diskstats, this.disks),
      net: parseNetDev(netdev),
    };
  }
}
