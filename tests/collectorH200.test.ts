/**
 * The collector against what a real NVIDIA H200 host printed (driver 580.159.04), recorded
 * there idle, under 18 s of bf16 matrix products holding 17.5 GiB, and idle again: each
 * one-shot query beside NVML's own reading taken in the same instant, and the long-lived
 * stream the collector reads (tests/fixtures/nvidia-smi/h200).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuMonitor } from '../src/collector/gpuMonitor';
import { parseGpuLine } from '../src/collector/nvidiaSmiCsv';
import type { GpuStats } from '../src/shared/systemSample';

const H200 = path.resolve(import.meta.dirname, 'fixtures/nvidia-smi/h200');

interface NvmlReading {
  name: string;
  uuid: string;
  util: number;
  mem_used_mib: number;
  mem_total_mib: number;
  temp: number;
  power_w: number;
  power_limit_w: number;
  fan: number | string;
  clock_sm: number;
  clock_mem: number;
}
const pairs: { query_gpu: string; nvml: NvmlReading }[] = readFileSync(path.join(H200, 'nvml-pairs.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

describe('nvidia-smi on an H200, read as NVML reads it', () => {
  // nvidia-smi leaves out the memory the driver reserves, which NVML counts as used: an idle
  // GPU shows 0 MiB in one and the reservation in the other.
  const reservedMiB = pairs[0]!.nvml.mem_used_mib;

  it('recorded an idle GPU, a loaded one and an idle one again', () => {
    const utils = pairs.map((p) => p.nvml.util);
    expect(utils[0]).toBe(0);
    expect(Math.max(...utils)).toBeGreaterThanOrEqual(99);
    expect(utils.at(-1)).toBe(0);
  });

  it.each(pairs.map((p, i) => [i, p] as const))(
    'second %i: every field equals NVML in protocol units',
    (_, { query_gpu, nvml }) => {
      const gpu = parseGpuLine(query_gpu);
      expect(gpu).toEqual({
        gpu_id: 0,
        uuid: nvml.uuid,
        gpu_name: nvml.name,
        gpu_util: nvml.util,
        gpu_temp: nvml.temp,
        vram_used: expect.closeTo((nvml.mem_used_mib - reservedMiB) / 1024, 2),
        vram_total: expect.closeTo(nvml.mem_total_mib / 1024, 2),
        vram_percent: expect.closeTo(((nvml.mem_used_mib - reservedMiB) / nvml.mem_total_mib) * 100, 1),
        power_usage: expect.closeTo(nvml.power_w, 2),
        power_limit: nvml.power_limit_w,
        // The H200 is cooled by its chassis: NVML answers NotSupported, nvidia-smi [N/A].
        fan_percent: null,
        clock_sm_mhz: nvml.clock_sm,
        clock_mem_mhz: nvml.clock_mem,
      });
      expect(nvml.fan).toBe('err:NVMLError_NotSupported');
    },
  );
});

describe('the collector over the recorded stream', () => {
  const stops: (() => void)[] = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  function replay(processesEveryMs: number): GpuMonitor {
    const env = {
      ...process.env,
      PATH: `${H200}:/usr/bin:/bin`,
      CVSM_FAKE_SMI_STATE: path.join(mkdtempSync(path.join(tmpdir(), 'h200-')), 'position'),
    };
    const m = new GpuMonitor({ env, intervalMs: 100, processesEveryMs });
    m.start();
    stops.push(() => m.stop());
    return m;
  }

  /** Each round's snapshot, from the start until `extra` rounds after the GPU is idle again after its load. */
  async function throughTheLoad(m: GpuMonitor, extra = 0): Promise<GpuStats[][]> {
    const seen: GpuStats[][] = [];
    let loaded = false;
    let idleAgainAt = -1;
    for (let i = 0; i < 80; i++) {
      await m.nextRound();
      const gpus = m.snapshot();
      seen.push(gpus);
      const used = gpus[0]?.vram_used ?? 0;
      if (used > 0) loaded = true;
      if (loaded && used === 0 && idleAgainAt < 0) idleAgainAt = i;
      if (idleAgainAt >= 0 && i >= idleAgainAt + extra) return seen;
    }
    throw new Error(`the replay never went idle after its load; last: ${JSON.stringify(seen.at(-1))}`);
  }

  it('follows the load: utilisation, memory, power against its limit and clocks', async () => {
    const m = replay(60_000);
    const seen = await throughTheLoad(m);
    const loaded = seen.flat().filter((g) => g.gpu_util === 100);
    expect(loaded.length).toBeGreaterThan(10);
    for (const g of loaded) {
      expect(g).toMatchObject({ gpu_name: 'NVIDIA H200', vram_used: 17.11, vram_total: 140.4, power_limit: 700 });
      expect(g.power_usage).toBeGreaterThan(600);
      expect(g.clock_sm_mhz).toBeGreaterThan(1400);
    }
    // As it ended: idle, memory freed, the clocks falling back.
    expect(seen.at(-1)![0]).toMatchObject({ gpu_util: 0, vram_used: 0, vram_percent: 0 });
  });

  it('lists the training process as soon as its memory shows, and drops it when the memory is freed', async () => {
    // A slow poll that never comes within the recording: only the memory moving asks for the list.
    const m = replay(60_000);
    const seen = await throughTheLoad(m, 2);
    const firstLoaded = seen.findIndex((g) => (g[0]?.vram_used ?? 0) > 0);
    const lastLoaded = seen.findLastIndex((g) => (g[0]?.vram_used ?? 0) > 0);
    // The process query answers within a round of the memory moving.
    const withProcess = seen.slice(firstLoaded + 2, lastLoaded + 1);
    expect(withProcess.length).toBeGreaterThan(10);
    for (const g of withProcess) expect(g[0]!.processes).toEqual([{ pid: 502, name: 'python3', used_mib: 17514 }]);
    // Two rounds after the memory was freed, the process is gone too.
    expect(seen.at(-1)![0]).toMatchObject({ vram_used: 0, processes: [] });
  });
});
