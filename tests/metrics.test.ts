import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemSample } from '../src/shared/systemSample';
import { setupTestServer } from './helpers/fixtures';
import { httpClient } from './helpers/server';

const app = setupTestServer();

interface Family {
  type: string;
  samples: { labels: Record<string, string>; value: number }[];
}

/** The exposition as Prometheus' reference parser reads it. */
function parse(text: string): Record<string, Family> {
  const script = path.join(import.meta.dirname, 'fixtures/parse-prometheus.py');
  // Debian's python3: a pyenv or venv one first on PATH would not see python3-prometheus-client.
  return JSON.parse(execFileSync('/usr/bin/python3', [script], { input: text, encoding: 'utf8' })) as Record<string, Family>;
}

function sample(host: string, labels?: Record<string, string>): SystemSample {
  return {
    timestamp: new Date().toISOString(),
    host,
    ...(labels ? { labels } : {}),
    cpu: { cpu_util: 42.5, cpu_count: 2, cpu_freq_current: 2300, cpu_freq_max: 0, per_core: [40, 45], load_avg: [1.5, 1, 0.5] },
    memory: { ram_used: 2, ram_total: 8, ram_percent: 25, ram_available: 6, swap_used: 1, swap_total: 2 },
    disk: {
      disk_used: 10,
      disk_total: 100,
      disk_percent: 10,
      filesystems: [{ mount: '/data "big"', used: 1, total: 4, percent: 25 }],
    },
    gpu: [
      {
        gpu_id: 0,
        gpu_name: 'NVIDIA A100-SXM4-80GB',
        gpu_util: 97,
        gpu_temp: 71,
        vram_used: 20,
        vram_total: 80,
        vram_percent: 25,
        power_usage: 301.5,
        power_limit: 400,
        clock_sm_mhz: 1410,
      },
    ],
    network: {
      bytes_sent: 1,
      bytes_recv: 2,
      packets_sent: 3,
      packets_recv: 4,
      interfaces: [{ name: 'eth0', sent_bytes_per_s: 100, recv_bytes_per_s: 2000 }],
    },
  };
}

describe('/metrics', () => {
  it('exposes every host and GPU in the Prometheus text format, with host and gpu labels', async () => {
    await httpClient(app).system.report.mutate({ samples: [sample('gpu-a', { rack: 'a3' }), sample('gpu-b')] });
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parse(await res.text());

    const value = (name: string, labels: Record<string, string>) =>
      families[name]?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(families.cvsm_host_up!.samples).toEqual(
      expect.arrayContaining([
        { labels: { host: 'gpu-a' }, value: 1 },
        { labels: { host: 'gpu-b' }, value: 1 },
      ]),
    );
    expect(value('cvsm_host_labels', { host: 'gpu-a' })).toBe(1);
    expect(families.cvsm_host_labels!.samples.find((s) => s.labels.host === 'gpu-a')!.labels).toEqual({
      host: 'gpu-a',
      label_rack: 'a3',
    });
    expect(value('cvsm_cpu_utilisation_percent', { host: 'gpu-a' })).toBe(42.5);
    expect(value('cvsm_cpu_core_utilisation_percent', { host: 'gpu-a', cpu: '1' })).toBe(45);
    expect(value('node_load1', { host: 'gpu-b' })).toBe(1.5);
    expect(value('node_memory_MemTotal_bytes', { host: 'gpu-a' })).toBe(8 * 1024 ** 3);
    expect(value('node_filesystem_avail_bytes', { host: 'gpu-a', mountpoint: '/data "big"' })).toBe(3 * 1024 ** 3);
    expect(value('cvsm_network_receive_bytes_per_second', { host: 'gpu-a', device: 'eth0' })).toBe(2000);
    expect(families.DCGM_FI_DEV_GPU_UTIL).toMatchObject({ type: 'gauge' });
    expect(value('DCGM_FI_DEV_GPU_UTIL', { host: 'gpu-a', gpu: '0' })).toBe(97);
    expect(value('DCGM_FI_DEV_FB_USED', { host: 'gpu-a', gpu: '0' })).toBe(20 * 1024);
    expect(value('DCGM_FI_DEV_POWER_USAGE', { host: 'gpu-b', gpu: '0', modelName: 'NVIDIA A100-SXM4-80GB' })).toBe(301.5);
    expect(value('DCGM_FI_DEV_SM_CLOCK', { host: 'gpu-a', gpu: '0' })).toBe(1410);
    // Nothing reported, nothing made up.
    expect(families.DCGM_FI_DEV_FAN_SPEED).toBeUndefined();
  });

  it('asks for a read key once keys exist, as the API does', async () => {
    const { key } = await app.services.apiKeys.create('prometheus', 'read');
    try {
      expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
      const ok = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
      expect(ok.status).toBe(200);
      expect(parse(await ok.text()).cvsm_host_up).toBeDefined();
    } finally {
      await app.services.apiKeys.revoke('prometheus');
    }
  });
});
