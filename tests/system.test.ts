import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../src/server/services/eventBus';
import { OFFLINE_AFTER_MS } from '../src/server/services/systemService';
import type { FleetSnapshot } from '../src/shared/fleet';
import type { GpuStats, SystemSample } from '../src/shared/systemSample';
import { setupTestServer } from './helpers/fixtures';
import { httpClient, wsClient } from './helpers/server';
import { openServices } from './helpers/services';
import { until } from './kit/until';

const app = setupTestServer();

/** Six hours ago, on a whole hour: inside the raw tier's 48 hours. */
const T0 = Math.floor((Date.now() - 6 * 3_600_000) / 3_600_000) * 3_600_000;

/** One pass of the rollup job (waiting for the app's own pass to finish, if it holds the lock). */
const rollUp = () => until(() => app.services.system.rollups.run(), 'the rollup job');

function gpu(id: number, util: number): GpuStats {
  return {
    gpu_id: id,
    gpu_name: 'NVIDIA A100-SXM4-80GB',
    gpu_util: util,
    gpu_temp: 60 + id,
    vram_used: 20,
    vram_total: 80,
    vram_percent: 25,
    power_usage: 300,
    processes: [{ pid: 4242, name: 'python train.py', used_mib: 20480 }],
  };
}

function sample(host: string, at: number, cpu = 10, gpus: GpuStats[] = []): SystemSample {
  return {
    timestamp: new Date(at).toISOString(),
    host,
    cpu: {
      cpu_util: cpu,
      cpu_count: 2,
      cpu_freq_current: 2300,
      cpu_freq_max: 0,
      per_core: [cpu, cpu],
      load_avg: [0.5, 0.4, 0.3],
    },
    memory: { ram_used: 0.58, ram_total: 23.54, ram_percent: 3.7, ram_available: 22.68, swap_used: 0, swap_total: 0 },
    disk: { disk_used: 23.23, disk_total: 251.97, disk_percent: 22.9, read_bytes_per_s: 0, write_bytes_per_s: 4096 },
    gpu: gpus,
    network: {
      bytes_sent: 0.73,
      bytes_recv: 562.35,
      packets_sent: 7036,
      packets_recv: 13183,
      sent_bytes_per_s: 100,
      recv_bytes_per_s: 2000,
    },
  };
}

async function rowCount(host: string): Promise<number> {
  const { rows } = await app.services.db.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM host_sample s JOIN host h ON h.id = s.host_id WHERE h.name = $1',
    [host],
  );
  return Number(rows[0]!.n);
}

describe('system.report', () => {
  it('stores one row per host per second and stores a replayed sample once', async () => {
    const api = httpClient(app);
    const batch = [sample('node-a', T0), sample('node-a', T0 + 1000), sample('node-b', T0)];
    expect(await api.system.report.mutate({ samples: batch })).toEqual({ stored: 3 });
    // A collector replaying its buffer after a lost answer, and a second sample in the same second.
    expect(await api.system.report.mutate({ samples: [...batch, sample('node-a', T0 + 1400)] })).toEqual({ stored: 0 });
    expect(await rowCount('node-a')).toBe(2);
  });

  it('rejects a sample that is not a system sample, naming the field', async () => {
    const api = httpClient(app);
    const bad = { ...sample('node-bad', T0), cpu: { cpu_util: 'high' } } as unknown as SystemSample;
    await expect(api.system.report.mutate({ samples: [bad] })).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(await rowCount('node-bad')).toBe(0);
  });
});

describe('system.hosts', () => {
  it('lists every reporting host with its latest sample, offline after a few quiet seconds', async () => {
    const api = httpClient(app);
    const now = Date.now();
    await api.system.report.mutate({ samples: [sample('hosts-1', now - 2000, 5), sample('hosts-1', now - 1000, 42)] });
    const hosts = await api.system.hosts.query();
    const h = hosts.find((x) => x.host === 'hosts-1');
    expect(h).toMatchObject({ online: true, latest: { cpu: { cpu_util: 42 } } });
    expect(h!.lastSeenAt).toBeInstanceOf(Date);

    const later = app.services.system.hosts(Date.now() + OFFLINE_AFTER_MS + 1000);
    expect(later.find((x) => x.host === 'hosts-1')).toMatchObject({ online: false });
  });
});

describe('system.live', () => {
  it("starts with each host's latest sample, then yields new ones of the chosen host", async () => {
    const api = httpClient(app);
    const now = Math.floor(Date.now() / 1000) * 1000;
    await api.system.report.mutate({ samples: [sample('live-1', now - 3000, 1), sample('live-2', now - 3000, 2)] });

    const { client, socket } = wsClient(app.url);
    const seen: SystemSample[] = [];
    let notify = () => {};
    await new Promise<void>((resolve) => {
      client.system.live.subscribe(
        { host: 'live-1' },
        {
          onStarted: () => resolve(),
          onData: (s) => {
            seen.push(s);
            notify();
          },
        },
      );
    });
    const until = (n: number) =>
      new Promise<void>((resolve) => {
        notify = () => seen.length >= n && resolve();
        notify();
      });
    await until(1);
    expect(seen[0]).toMatchObject({ host: 'live-1', cpu: { cpu_util: 1 } });

    await api.system.report.mutate({ samples: [sample('live-2', now - 2000, 3)] });
    await api.system.report.mutate({ samples: [sample('live-1', now - 2000, 4)] });
    await until(2);
    expect(seen.map((s) => [s.host, s.cpu.cpu_util])).toEqual([
      ['live-1', 1],
      ['live-1', 4],
    ]);
    socket.close();
  });
});

describe('system.history', () => {
  it('buckets any range into at most maxPoints points per series, keeping min and max', async () => {
    const api = httpClient(app);
    // One hour at 1 Hz: cpu rises 0..99 repeatedly; GPU 0 util is the cpu value, GPU 1 is idle.
    const samples = Array.from({ length: 3600 }, (_, i) =>
      sample('hist-1', T0 + i * 1000, i % 100, [gpu(0, i % 100), gpu(1, 0)]),
    );
    for (let i = 0; i < samples.length; i += 600) {
      await api.system.report.mutate({ samples: samples.slice(i, i + 600) });
    }
    const from = new Date(T0);
    const to = new Date(T0 + 3599_000);
    await rollUp();

    const h = await api.system.history.query({ host: 'hist-1', from, to, maxPoints: 50 });
    expect(Object.keys(h.series).sort()).toEqual(
      [
        'cpu_util',
        'disk_percent',
        'disk_read_bps',
        'disk_write_bps',
        'load1',
        'net_recv_bps',
        'net_sent_bps',
        'ram_percent',
        ...['gpu0', 'gpu1'].flatMap((g) => [`${g}_power`, `${g}_temp`, `${g}_util`, `${g}_vram_percent`]),
      ].sort(),
    );
    for (const s of Object.values(h.series)) {
      expect(s.t.length).toBeLessThanOrEqual(50);
      expect(s.avg.length).toBe(s.t.length);
    }
    const cpu = h.series.cpu_util!;
    expect(Math.min(...cpu.min)).toBe(0);
    expect(Math.max(...cpu.max)).toBe(99);
    expect(cpu.t.every((t) => t % h.bucketMs === 0)).toBe(true);
    expect(cpu.t).toEqual([...cpu.t].sort((a, b) => a - b));
    expect(h.series.gpu0_util!.max).toContain(99);
    expect(h.series.gpu1_util!.max.every((x) => x === 0)).toBe(true);

    // A range shorter than maxPoints seconds: one point per sample, values as sent.
    const fine = await api.system.history.query({ host: 'hist-1', from, to: new Date(T0 + 9000), maxPoints: 600 });
    expect(fine.bucketMs).toBe(1000);
    expect(fine.series.cpu_util).toEqual({
      t: Array.from({ length: 10 }, (_, i) => T0 + i * 1000),
      avg: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      min: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      max: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    });

    // Every maxPoints holds, whatever the range.
    for (const maxPoints of [2, 7, 599, 3600]) {
      const r = await api.system.history.query({ host: 'hist-1', from, to, maxPoints });
      expect(r.series.cpu_util!.t.length).toBeLessThanOrEqual(maxPoints);
    }
  });

  it('answers an empty series set for a host or range with no samples', async () => {
    const api = httpClient(app);
    const r = await api.system.history.query({ host: 'nobody' });
    expect(r).toMatchObject({ host: 'nobody', series: {} });
  });
});

describe('system samples across instances', () => {
  it('reach the other instance, slimmed to fit a notification when a host is very large', async () => {
    const other = await openServices(app.db.url);
    try {
      const received: BusMessage[] = [];
      let notify = () => {};
      other.bus.subscribeSystem((m) => {
        received.push(m);
        notify();
      });
      const big = sample('huge-host', Date.now(), 50);
      big.cpu.per_core = Array.from({ length: 4096 }, (_, i) => (i % 100) + 0.25);
      const arrived = new Promise<void>((resolve) => (notify = resolve));
      await httpClient(app).system.report.mutate({ samples: [big] });
      await arrived;
      const m = received[0]!;
      expect(m.kind).toBe('system');
      if (m.kind !== 'system') return;
      expect(m.sample.host).toBe('huge-host');
      expect(m.sample.cpu.cpu_util).toBe(50);
      expect(m.sample.cpu.per_core).toBeUndefined();
      expect(other.system.hosts().find((h) => h.host === 'huge-host')).toMatchObject({ online: true });
    } finally {
      await other.close();
    }
  });
});

describe('labels and the fleet message', () => {
  it('carries a collector’s labels with its host and sends a compact message for the whole fleet', async () => {
    const api = httpClient(app);
    const now = Math.floor(Date.now() / 1000) * 1000;
    const labelled = { ...sample('fleet-1', now - 1000, 30, [gpu(0, 90), gpu(1, 10)]), labels: { rack: 'a3', zone: 'b' } };
    await api.system.report.mutate({ samples: [labelled] });
    expect((await api.system.hosts.query()).find((h) => h.host === 'fleet-1')).toMatchObject({
      labels: { rack: 'a3', zone: 'b' },
    });

    const { client, socket } = wsClient(app.url);
    const snapshot = await new Promise<FleetSnapshot>((resolve, reject) => {
      const sub = client.system.fleet.subscribe(undefined, {
        onData: (s) => {
          sub.unsubscribe();
          resolve(s);
        },
        onError: reject,
      });
    });
    socket.close();
    expect(snapshot.hosts.find((h) => h.host === 'fleet-1')).toEqual({
      host: 'fleet-1',
      online: true,
      lastSeenAt: expect.any(Number),
      labels: { rack: 'a3', zone: 'b' },
      cpuUtil: 30,
      ramPercent: 4,
      powerW: 600,
      // util, memory %, temperature per GPU
      gpu: [90, 25, 60, 10, 25, 61],
    });
  });

  it('refuses a label name that could not be a Prometheus label, naming it', async () => {
    const bad = { ...sample('fleet-bad', Date.now()), labels: { 'rack-no': 'a3' } };
    await expect(httpClient(app).system.report.mutate({ samples: [bad] })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST', issues: [expect.objectContaining({ path: ['samples', 0, 'labels', 'rack-no'] })] },
    });
  });
});
