import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuMonitor } from '../src/collector/gpuMonitor';
import { parseGpuLine } from '../src/collector/nvidiaSmiCsv';
import { parseMeminfo, parseMounts, parseNetDev, parseProcStat, utilisation } from '../src/collector/procStats';
import { Sampler } from '../src/collector/sampler';
import { everyWholeSecond, phaseForHost } from '../src/collector/ticker';
import type { GpuStats } from '../src/shared/systemSample';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/nvidia-smi');
/** An environment whose PATH finds the fake nvidia-smi of `variant` first (or none at all). */
const withSmi = (variant: 'two-gpus' | 'dies' | null) => ({
  ...process.env,
  // The fake is a bash script (bash and sleep from /usr/bin, /bin); without one, an empty folder.
  PATH: variant ? `${path.join(FIXTURES, variant)}:/usr/bin:/bin` : mkdtempSync(path.join(tmpdir(), 'no-smi-')),
});

const stopAfter: (() => void)[] = [];
afterEach(() => {
  for (const stop of stopAfter.splice(0)) stop();
});

function monitor(variant: 'two-gpus' | 'dies' | null, opts: { processesEveryMs?: number; backoffMs?: number } = {}) {
  const m = new GpuMonitor({ env: withSmi(variant), intervalMs: 200, ...opts });
  m.start();
  stopAfter.push(() => m.stop());
  return m;
}

/** Waits for nvidia-smi rounds until `check` holds on the snapshot (at most `rounds`). */
async function untilSnapshot(m: GpuMonitor, check: (gpus: GpuStats[]) => boolean, rounds = 40): Promise<GpuStats[]> {
  for (let i = 0; i < rounds; i++) {
    const gpus = m.snapshot();
    if (check(gpus)) return gpus;
    await m.nextRound();
  }
  throw new Error(`snapshot never matched; last: ${JSON.stringify(m.snapshot())}`);
}

describe('GPUs from a long-lived nvidia-smi', () => {
  it('parses both GPUs in protocol units, with [N/A] fields as null', async () => {
    const m = monitor('two-gpus');
    await m.nextRound();
    const [a100, rtx] = m.snapshot();
    expect(a100).toMatchObject({
      gpu_id: 0,
      gpu_name: 'NVIDIA A100-SXM4-80GB',
      gpu_util: 97,
      gpu_temp: 71,
      // 20582 / 81920 MiB, reported in GiB
      vram_used: 20.1,
      vram_total: 80,
      vram_percent: 25.1,
      power_usage: 301.52,
      power_limit: 400,
      fan_percent: null,
      clock_sm_mhz: 1410,
      clock_mem_mhz: 1593,
    });
    expect(rtx).toMatchObject({
      gpu_id: 1,
      gpu_name: 'NVIDIA GeForce RTX 4090',
      power_usage: null,
      fan_percent: 30,
      vram_total: 23.99,
    });
    expect(m.starts).toBe(1);
  });

  it('drops a GPU that disappears from the output', async () => {
    const m = monitor('two-gpus');
    const gpus = await untilSnapshot(m, (g) => g.length === 1);
    expect(gpus.map((g) => g.gpu_id)).toEqual([0]);
  });

  it('adds per-process GPU memory from the slower compute-apps query', async () => {
    const m = monitor('two-gpus', { processesEveryMs: 100 });
    const gpus = await untilSnapshot(m, (g) => (g[0]?.processes?.length ?? 0) > 0);
    expect(gpus[0]!.processes).toEqual([
      { pid: 4242, name: 'python train.py --cfg yolov8n.yaml', used_mib: 20480 },
      { pid: 4343, name: '/usr/lib/xorg/Xorg', used_mib: 96 },
    ]);
    expect(gpus[1]?.processes ?? []).toEqual([]);
  });

  it('starts nvidia-smi again after it dies', async () => {
    const m = monitor('dies', { backoffMs: 50 });
    await m.nextRound();
    const startsBefore = m.starts;
    // Each run prints two rounds and exits; readings keep coming from the restarted ones.
    await untilSnapshot(m, (g) => g.length === 2 && m.starts >= startsBefore + 2);
    expect(m.starts).toBeGreaterThanOrEqual(3);
  });

  it('reports no GPUs, and no error, when there is no nvidia-smi', async () => {
    const m = monitor(null);
    expect(m.snapshot()).toEqual([]);
    expect(parseGpuLine('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.')).toBeNull();
  });
});

describe('readings from /proc', () => {
  it('computes CPU utilisation from two /proc/stat readings', () => {
    const a = parseProcStat('cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\ncpu1 50 0 50 400 0 0 0 0 0 0\n');
    const b = parseProcStat('cpu  250 0 150 1000 0 0 0 0 0 0\ncpu0 150 0 100 450 0 0 0 0 0 0\ncpu1 100 0 50 550 0 0 0 0 0 0\n');
    expect(b.cores).toHaveLength(2);
    expect(utilisation(a.total, b.total)).toBeCloseTo(50);
    expect(utilisation(a.cores[0]!, b.cores[0]!)).toBeCloseTo(75);
    expect(utilisation(a.cores[1]!, b.cores[1]!)).toBeCloseTo(25);
  });

  it('reads meminfo in bytes, network without loopback, one mount per device', () => {
    expect(parseMeminfo('MemTotal:       24682000 kB\nHugePages_Total:       0\n')).toEqual({
      MemTotal: 24682000 * 1024,
      HugePages_Total: 0,
    });
    const net = parseNetDev(
      'Inter-|   Receive\n face |bytes packets\n    lo: 900 9 0 0 0 0 0 0 900 9 0 0 0 0 0 0\n  eth0: 1048576 10 0 0 0 0 0 0 2048 20 0 0 0 0 0 0\n',
    );
    expect([...net.keys()]).toEqual(['eth0']);
    expect(net.get('eth0')).toEqual({ rxBytes: 1048576, rxPackets: 10, txBytes: 2048, txPackets: 20 });
    expect(
      parseMounts(
        '/dev/vda / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/vda /etc/hosts ext4 rw 0 0\n/dev/sdb1 /mnt/my\\040data xfs rw 0 0\n',
      ),
    ).toEqual([
      { device: '/dev/vda', mount: '/' },
      { device: '/dev/sdb1', mount: '/mnt/my data' },
    ]);
  });
});

describe('a full sample of this machine', () => {
  it('has every protocol field in its unit, and the GPUs of nvidia-smi', async () => {
    const sampler = new Sampler({ host: 'test-host', gpu: { env: withSmi('two-gpus'), intervalMs: 200 } });
    await sampler.start();
    stopAfter.push(() => sampler.stop());
    await sampler.gpus.nextRound();
    const at = Math.floor(Date.now() / 1000) * 1000;
    const s = await sampler.sample(at);

    expect(s.timestamp).toBe(new Date(at).toISOString());
    expect(s.host).toBe('test-host');
    expect(s.cpu.cpu_count).toBe(cpus().length);
    expect(s.cpu.per_core).toHaveLength(cpus().length);
    expect(s.cpu.load_avg).toHaveLength(3);
    for (const pct of [s.cpu.cpu_util, s.memory.ram_percent, s.disk.disk_percent, ...s.cpu.per_core!]) {
      expect(pct).toBeGreaterThanOrEqual(0);
      expect(pct).toBeLessThanOrEqual(100);
    }
    // GiB: this machine's memory as /proc/meminfo counts it.
    const meminfo = parseMeminfo(await import('node:fs/promises').then((fs) => fs.readFile('/proc/meminfo', 'utf8')));
    expect(s.memory.ram_total).toBeCloseTo(meminfo.MemTotal! / 1024 ** 3, 1);
    expect(s.memory.ram_used).toBeLessThanOrEqual(s.memory.ram_total);
    expect(s.memory.ram_available).toBeLessThanOrEqual(s.memory.ram_total);
    expect(s.disk.disk_total).toBeGreaterThan(0);
    expect(s.disk.filesystems!.some((f) => f.mount === '/')).toBe(true);
    expect(s.network.bytes_recv).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(s.network.packets_recv)).toBe(true);
    expect(s.gpu.map((g) => g.gpu_name)).toEqual(['NVIDIA A100-SXM4-80GB', 'NVIDIA GeForce RTX 4090']);
  });

  it('has an empty GPU list on a machine without nvidia-smi', async () => {
    const sampler = new Sampler({ gpu: { env: withSmi(null) } });
    await sampler.start();
    stopAfter.push(() => sampler.stop());
    const s = await sampler.sample(Date.now());
    expect(s.gpu).toEqual([]);
    expect(s.cpu.cpu_count).toBeGreaterThan(0);
  });
});

describe('ticks', () => {
  it('fire on whole seconds with a mean period of 1000 ± 20 ms over 10 s', async () => {
    const fired: number[] = [];
    const targets: number[] = [];
    await new Promise<void>((resolve) => {
      const ticker = everyWholeSecond((at) => {
        fired.push(Date.now());
        targets.push(at);
        // Work in a tick does not push the next one later.
        const busyUntil = Date.now() + 50;
        while (Date.now() < busyUntil);
        if (fired.length === 11) {
          ticker.stop();
          resolve();
        }
      });
    });
    const meanPeriod = (fired.at(-1)! - fired[0]!) / (fired.length - 1);
    expect(Math.abs(meanPeriod - 1000)).toBeLessThanOrEqual(20);
    expect(targets.every((t) => t % 1000 === 0)).toBe(true);
  }, 20_000);

  it('fire at their phase into each second, stamped with the whole second', async () => {
    const late: number[] = [];
    await new Promise<void>((resolve) => {
      const ticker = everyWholeSecond((at) => {
        expect(at % 1000).toBe(0);
        late.push(Date.now() - at);
        if (late.length === 3) {
          ticker.stop();
          resolve();
        }
      }, 400);
    });
    for (const ms of late) {
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(ms).toBeLessThan(450);
    }
  }, 10_000);

  it("spread a fleet's hosts over the second, each host always at the same phase", () => {
    const phases = Array.from({ length: 1000 }, (_, i) => phaseForHost(`gpu-node-${i}`));
    expect(phaseForHost('gpu-node-7')).toBe(phases[7]);
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...phases)).toBeLessThan(900);
    // Nine 100 ms slices of about 111 hosts each: none crowded, none empty.
    const slices = Array.from({ length: 9 }, (_, k) => phases.filter((p) => Math.floor(p / 100) === k).length);
    for (const n of slices) expect(n).toBeGreaterThan(70);
    for (const n of slices) expect(n).toBeLessThan(160);
  });
});
