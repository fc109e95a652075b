import { beforeAll, describe, expect, it } from 'vitest';
import { pickFleetTier, RAW_TAIL_MS, segments } from '../src/server/services/system/fleetHistory';
import type { FleetMetric } from '../src/shared/fleetHistory';
import type { GpuStats, SystemSample } from '../src/shared/systemSample';
import { gpuStats, hostSample } from './helpers/hostSample';
import { until } from './kit/until';
import { setupTestServer } from './helpers/fixtures';
import { httpClient } from './helpers/server';

const app = setupTestServer();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Six hours ago, on a whole hour: ten minutes of samples from here, long rolled up. */
const T0 = Math.floor((Date.now() - 6 * HOUR) / HOUR) * HOUR;
const TEN_MINUTES = { from: new Date(T0), to: new Date(T0 + 10 * MINUTE - 1000) };

const rollUp = () => until(() => app.services.system.rollups.run(), 'the rollup job');

function gpu(id: number, util: number | null, temp: number | null, vram: number | null, power: number | null): GpuStats {
  return { ...gpuStats(id, 0, 0), gpu_util: util, gpu_temp: temp, vram_percent: vram, power_usage: power };
}

function sample(host: string, at: number, cpu: number, gpus: GpuStats[] = []): SystemSample {
  const s = hostSample(host, at, gpus);
  return { ...s, cpu: { ...s.cpu, cpu_util: cpu } };
}

/**
 * fh-cpu: no GPUs; cpu 20 for five minutes, then 40, and silent in minute 8.
 * fh-one: one GPU (util 50, 60 °C, 25 %, 300 W); cpu 10.
 * fh-three: three GPUs, the third reporting nothing; GPU 0 reports no utilisation in
 * minute 7; GPU 1 peaks at 95 °C for one second in minute 3.
 */
function tenMinutes(): SystemSample[] {
  const out: SystemSample[] = [];
  for (let s = 0; s < 600; s++) {
    const at = T0 + s * 1000;
    const minute = Math.floor(s / 60);
    if (minute !== 8) out.push(sample('fh-cpu', at, minute < 5 ? 20 : 40));
    out.push(sample('fh-one', at, 10, [gpu(0, 50, 60, 25, 300)]));
    out.push(
      sample('fh-three', at, 10, [
        gpu(0, minute === 7 ? null : 30, 70, 10.25, 100.5),
        gpu(1, 60, s === 200 ? 95 : 80, 20.5, 200),
        gpu(2, null, null, null, null),
      ]),
    );
  }
  return out;
}

beforeAll(async () => {
  const samples = tenMinutes();
  for (let i = 0; i < samples.length; i += 600) await app.services.system.report(samples.slice(i, i + 600));
  await rollUp();
}, 60_000);

const fleet = (metric: FleetMetric, maxPoints = 11, range = TEN_MINUTES) =>
  app.services.system.fleetHistory({ metric, ...range, maxPoints });
const byHost = (r: { hosts: { host: string; values: (number | null)[] }[] }) =>
  Object.fromEntries(r.hosts.map((h) => [h.host, h.values]));
const ten = (v: number) => Array.from({ length: 10 }, () => v);

describe('system.fleetHistory', () => {
  it('answers a host-wide metric of every host, one value per minute bucket, hosts by name', async () => {
    const r = await fleet('cpu_util');
    expect(r).toMatchObject({ metric: 'cpu_util', tier: '1m', bucketMs: MINUTE, from: T0 });
    expect(r.hosts.map((h) => h.host)).toEqual(['fh-cpu', 'fh-one', 'fh-three']);
    expect(byHost(r)).toEqual({
      'fh-cpu': [20, 20, 20, 20, 20, 40, 40, 40, null, 40],
      'fh-one': ten(10),
      'fh-three': ten(10),
    });
  });

  it('answers GPU metrics per host: mean of the GPUs reporting, hottest GPU, total power', async () => {
    const util = byHost(await fleet('gpu_util'));
    // fh-cpu has no GPU value at all: it is left out, not sent as nulls.
    expect(Object.keys(util)).toEqual(['fh-one', 'fh-three']);
    expect(util['fh-one']).toEqual(ten(50));
    expect(util['fh-three']).toEqual([45, 45, 45, 45, 45, 45, 45, 60, 45, 45]);
    expect(byHost(await fleet('gpu_temp'))).toEqual({ 'fh-one': ten(60), 'fh-three': [80, 80, 80, 95, 80, 80, 80, 80, 80, 80] });
    expect(byHost(await fleet('gpu_power'))).toEqual({ 'fh-one': ten(300), 'fh-three': ten(300.5) });
    const vram = byHost(await fleet('gpu_vram_percent'));
    expect(vram['fh-one']).toEqual(ten(25));
    vram['fh-three']!.forEach((v) => expect(v).toBeCloseTo(15.375, 4));
  });

  it('keeps within maxPoints with aligned buckets, averaging samples, not minutes', async () => {
    const five = await fleet('cpu_util', 3);
    expect(five).toMatchObject({ tier: '1m', bucketMs: 5 * MINUTE, from: T0 });
    // The second bucket holds 4 minutes of 40.
    expect(byHost(five)['fh-cpu']).toEqual([20, 40]);
    for (const maxPoints of [2, 7, 300, 1000]) {
      const r = await fleet('gpu_util', maxPoints, { from: new Date(T0 - DAY), to: TEN_MINUTES.to });
      expect(r.from % r.bucketMs).toBe(0);
      for (const h of r.hosts) expect(h.values.length).toBeLessThanOrEqual(maxPoints);
    }
  });

  it('reads the hour tier for buckets of an hour or more', async () => {
    const r = await app.services.system.fleetHistory({ metric: 'cpu_util', maxPoints: 20 });
    expect(r.tier).toBe('1h');
    expect(r.bucketMs).toBe(2 * HOUR);
    expect(r.hosts.find((h) => h.host === 'fh-one')!.values.length).toBeLessThanOrEqual(20);
    // fh-cpu's one hour: 300 samples of 20 and 240 of 40.
    const values = byHost(r)['fh-cpu']!.filter((v) => v !== null);
    expect(values).toHaveLength(1);
    expect(values[0]).toBeCloseTo((300 * 20 + 240 * 40) / 540, 4);
  });

  it('reads the right end the rollups have not reached from raw samples, merged into its bucket', async () => {
    const start = Math.floor(Date.now() / 1000) * 1000 - 3 * MINUTE;
    const tail = Array.from({ length: 175 }, (_, k) => sample('fh-tail', start + k * 1000, k % 7));
    await app.services.system.report(tail);
    await rollUp();
    const r = await app.services.system.fleetHistory({ metric: 'cpu_util', from: new Date(start - 10 * MINUTE), maxPoints: 3 });
    const marks = await app.services.system.rollups.watermarks();
    // Some of the samples rolled into minutes, the newest still raw only.
    expect(marks['1m']).toBeGreaterThan(start);
    expect(marks['1m']).toBeLessThan(start + 174_000);
    const expected = new Map<number, number[]>();
    for (const s of tail) {
      const b = Math.floor(Date.parse(s.timestamp) / r.bucketMs) * r.bucketMs;
      expected.set(b, [...(expected.get(b) ?? []), s.cpu.cpu_util]);
    }
    const values = byHost(r)['fh-tail']!;
    for (const [b, cpus] of expected) {
      expect(values[(b - r.from) / r.bucketMs]).toBeCloseTo(cpus.reduce((a, c) => a + c, 0) / cpus.length, 4);
    }
  });

  it('refuses an unknown metric or too many points as a bad request', async () => {
    const api = httpClient(app);
    await expect(api.system.fleetHistory.query({ metric: 'gpu_fan' as FleetMetric })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST', httpStatus: 400, issues: [expect.objectContaining({ path: ['metric'] })] },
    });
    await expect(api.system.fleetHistory.query({ metric: 'gpu_util', maxPoints: 1001 })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST', httpStatus: 400 },
    });
    const ok = await api.system.fleetHistory.query({ metric: 'gpu_temp', ...TEN_MINUTES, maxPoints: 11 });
    expect(byHost(ok)['fh-three']![3]).toBe(95);
  });
});

describe('fleet history tiers', () => {
  const retention = { rawMs: 2 * DAY, minuteMs: 30 * DAY, hourMs: 365 * DAY };
  const now = Date.UTC(2026, 11, 1, 12);

  it('picks minute buckets under 10 minutes, 10-minute ones under an hour, while the tiers still hold the range', () => {
    expect(pickFleetTier(now - DAY, now, 300, retention, now)).toEqual({ tier: '1m', bucketMs: 5 * MINUTE });
    expect(pickFleetTier(now - 60 * MINUTE, now, 300, retention, now)).toEqual({ tier: '1m', bucketMs: MINUTE });
    // 34-minute buckets from the minutes before the 10-minute tier: a tenth of the rows now.
    expect(pickFleetTier(now - 7 * DAY, now, 300, retention, now)).toEqual({ tier: '10m', bucketMs: 40 * MINUTE });
    expect(pickFleetTier(now - 7 * DAY, now, 100, retention, now)).toEqual({ tier: '1h', bucketMs: 2 * HOUR });
    expect(pickFleetTier(now - 31 * DAY, now - 30 * DAY, 1000, retention, now)).toEqual({ tier: '1h', bucketMs: HOUR });
  });

  it('reads the tail after the watermarks from the finer tiers, raw rows for a bounded span', () => {
    const q = { metric: 'cpu_util' as const, from: now - DAY, to: now, gpus: 8 };
    expect(segments({ ...q, marks: { '1m': now - MINUTE, '1h': now - HOUR } }, '1h')).toEqual([
      { tier: '1h', from: now - DAY, to: now - HOUR },
      { tier: '1m', from: now - HOUR, to: now - MINUTE },
      { tier: 'raw', from: now - MINUTE, to: now + 1 },
    ]);
    // A stalled rollup job: the raw tail stays RAW_TAIL_MS long.
    expect(segments({ ...q, marks: { '1m': now - HOUR } }, '1m')).toEqual([
      { tier: '1m', from: now - DAY, to: now - HOUR },
      { tier: 'raw', from: now + 1 - RAW_TAIL_MS, to: now + 1 },
    ]);
  });
});
