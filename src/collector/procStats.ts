/**
 * Per-tick readings straight from /proc and /sys: a few small text files, no child
 * processes, so a tick costs well under a millisecond of CPU. Parsers are pure functions
 * of the file text so they can be tested on fixed input.
 */
import { readFileSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';

export interface CpuTimes {
  /** Jiffies spent busy (everything but idle and iowait). */
  busy: number;
  total: number;
}

/** /proc/stat: the aggregate line first, then one per core. */
export function parseProcStat(text: string): { total: CpuTimes; cores: CpuTimes[] } {
  let total: CpuTimes = { busy: 0, total: 0 };
  const cores: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...fields] = line.trim().split(/\s+/);
    // guest and guest_nice are already counted in user and nice.
    const v = fields.slice(0, 8).map(Number);
    const sum = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const times = { busy: sum - idle, total: sum };
    if (name === 'cpu') total = times;
    else cores.push(times);
  }
  return { total, cores };
}

/** Busy share of the interval between two readings, in %. */
export function utilisation(prev: CpuTimes, next: CpuTimes): number {
  const total = next.total - prev.total;
  return total > 0 ? Math.min(100, Math.max(0, ((next.busy - prev.busy) / total) * 100)) : 0;
}

/** /proc/meminfo, values in bytes. */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * (line.endsWith('kB') ? 1024 : 1);
  }
  return out;
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a = 0, b = 0, c = 0] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  return [a, b, c];
}

export interface DiskCounters {
  readBytes: number;
  writeBytes: number;
}

/** /proc/diskstats, summed over the given devices (sectors are always 512 bytes there). */
export function parseDiskstats(text: string, devices: ReadonlySet<string>): DiskCounters {
  let readBytes = 0;
  let writeBytes = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !devices.has(f[2]!)) continue;
    readBytes += Number(f[5]) * 512;
    writeBytes += Number(f[9]) * 512;
  }
  return { readBytes, writeBytes };
}

export interface NetCounters {
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
}

/** /proc/net/dev per interface, loopback left out (it is not traffic of the host's network). */
export function parseNetDev(text: string): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name.includes('|')) continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (f.length < 10) continue;
    out.set(name, { rxBytes: f[0]!, rxPackets: f[1]!, txBytes: f[8]!, txPackets: f[9]! });
  }
  return out;
}

export interface Mount {
  device: string;
  mount: string;
}

const REAL_FS = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'zfs',
  'f2fs',
  'vfat',
  'exfat',
  'ntfs',
  'ntfs3',
  'nfs',
  'nfs4',
  'overlay',
]);

/**
 * /proc/mounts reduced to real filesystems, one mount per device (containers bind-mount
 * the same device at many paths; the shortest path stands for it).
 */
export function parseMounts(text: string): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    const [device, rawMount, type] = line.split(' ');
    if (!device || !rawMount || !type || !REAL_FS.has(type)) continue;
    // Spaces and other octal escapes in mount paths.
    const mount = rawMount.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const known = byDevice.get(device);
    if (!known || mount.length < known.mount.length) byDevice.set(device, { device, mount });
  }
  return [...byDevice.values()].sort((a, b) => a.mount.localeCompare(b.mount));
}

/**
 * /proc and /sys files are generated in memory by the kernel: a synchronous read takes
 * microseconds, far less than a trip through libuv's thread pool.
 */
export async function readText(path: string): Promise<string> {
  return readFileSync(path, 'utf8');
}

/** Whole block devices backed by hardware (they have a `device` link), not loop, dm or md. */
export async function physicalDisks(): Promise<Set<string>> {
  const names = await readdir('/sys/block').catch(() => [] as string[]);
  const found = await Promise.all(
    names.map(async (n) => ((await readdir(`/sys/block/${n}/device`).catch(() => null)) ? n : null)),
  );
  return new Set(found.filter((n): n is string => n !== null));
}

/** Used and total bytes as `df` counts them (used / (used + available) is the percent). */
export async function fsUsage(mount: string): Promise<{ used: number; total: number; available: number } | null> {
  try {
    // Asynchronous, unlike the /proc reads: a hung network mount must not stall the ticks.
    const s = await statfs(mount);
    return { used: (s.blocks - s.bfree) * s.bsize, total: s.blocks * s.bsize, available: s.bavail * s.bsize };
  } catch {
    return null;
  }
}

/**
 * A reader of each core's current clock in MHz. The source is chosen once: cpufreq in
 * /sys where the kernel has it, else the "cpu MHz" lines of /proc/cpuinfo (VMs), else none.
 */
export async function frequencyReader(cores: number): Promise<() => Promise<number[]>> {
  const sysfs = () =>
    Promise.all(
      Array.from({ length: cores }, (_, i) =>
        readText(`/sys/devices/system/cpu/cpu${i}/cpufreq/scaling_cur_freq`).then((t) => Number(t) / 1000),
      ),
    );
  const cpuinfo = async () =>
    [...(await readText('/proc/cpuinfo')).matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
  for (const read of [sysfs, cpuinfo]) {
    const first = await read().catch(() => []);
    if (first.length > 0 && first.every(Number.isFinite)) return () => read().catch(() => []);
  }
  return async () => [];
}
