import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SocketStats } from '../src/server/sockets/socketStats';
import type { SystemSample } from '../src/shared/systemSample';
import { setupTestServer } from './helpers/fixtures';
import { call, ISO_Z, PlainSocket, trainingLogs } from './helpers/plain';
import { eventually } from './kit/until';

// Small, so the slow-consumer test needs only a few megabytes to trip it.
const app = setupTestServer({ socketBufferLimitBytes: 256 * 1024 });

const api = trainingLogs(app);
const training = (id: string, clientId?: string) =>
  PlainSocket.open(app.url, `/api/v1/ws/training/${encodeURIComponent(id)}${clientId ? `?client_id=${clientId}` : ''}`);
const stats = async () => (await call(app.url, 'GET', '/api/v1/ws/stats')).json as unknown as SocketStats;

describe('/api/v1/ws/training/{experiment_id}', () => {
  it('waits on a session not created yet, then sends every frame of it in stored order', async () => {
    const socket = await training('train-1', 'trainer-ui');
    expect(socket.frames[0]).toEqual({
      type: 'connection_established',
      data: {
        client_id: 'trainer-ui',
        subscription: 'training_logs:train-1',
        experiment_id: 'train-1',
        message: expect.any(String),
      },
    });

    await api('POST', '/session', { experiment_id: 'train-1', total_epochs: 10 });
    await api('POST', '/session', { experiment_id: 'other-1' });
    await api('POST', '/other-1/log', { message: 'not for train-1' });
    await api('PUT', '/train-1/status', { status: 'running', message: 'started' });
    await api('POST', '/train-1/log', { level: 'warn', message: 'lr warmup', source: 'scheduler' });
    await api('POST', '/train-1/metrics', { epoch: 1, metrics: { loss: 0.9, mAP: 0.1 } });
    await api('PUT', '/train-1/status', { status: 'completed' });

    const frames = await socket.next(6);
    expect(frames.slice(1)).toEqual([
      {
        type: 'status_change',
        data: {
          status: 'queued',
          current_epoch: 0,
          total_epochs: 10,
          started_at: null,
          ended_at: null,
          message: expect.any(String),
        },
      },
      {
        type: 'status_change',
        data: {
          status: 'running',
          current_epoch: 0,
          total_epochs: 10,
          started_at: expect.stringMatching(ISO_Z),
          ended_at: null,
          message: 'started',
        },
      },
      {
        type: 'log',
        data: { level: 'WARNING', message: 'lr warmup', source: 'scheduler', timestamp: expect.stringMatching(ISO_Z), seq: 3 },
      },
      { type: 'metrics_update', data: { epoch: 1, timestamp: expect.stringMatching(ISO_Z), loss: 0.9, mAP: 0.1 } },
      {
        type: 'status_change',
        data: {
          status: 'completed',
          current_epoch: 1,
          total_epochs: 10,
          started_at: expect.stringMatching(ISO_Z),
          ended_at: expect.stringMatching(ISO_Z),
          message: null,
        },
      },
    ]);
    await socket.close();
  });

  it('is live-only: history stored before the socket opened is not replayed', async () => {
    await api('POST', '/session', { experiment_id: 'live-only' });
    for (const i of [1, 2, 3]) await api('POST', '/live-only/log', { message: `old ${i}` });
    const socket = await training('live-only');
    await api('POST', '/live-only/log', { message: 'new' });
    const [, first] = await socket.next(2);
    expect(first).toMatchObject({ type: 'log', data: { message: 'new', seq: 5 } });
    await socket.close();
  });

  it('gives a random client id when none is asked for', async () => {
    const a = await training('ids-1');
    const b = await training('ids-1');
    const idOf = (s: PlainSocket) => (s.frames[0]!.data as { client_id: string }).client_id;
    expect(idOf(a)).toMatch(/\S{8,}/);
    expect(idOf(a)).not.toBe(idOf(b));
    await Promise.all([a.close(), b.close()]);
  });

  it('treats two sockets with the same client_id as two subscribers (fix)', async () => {
    await api('POST', '/session', { experiment_id: 'twins' });
    const a = await training('twins', 'same');
    const b = await training('twins', 'same');
    for (const i of [1, 2, 3]) await api('POST', '/twins/log', { message: `m${i}` });
    const messages = async (s: PlainSocket) => (await s.next(4)).slice(1).map((f) => f.data?.message);
    expect(await messages(a)).toEqual(['m1', 'm2', 'm3']);
    expect(await messages(b)).toEqual(['m1', 'm2', 'm3']);
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    await Promise.all([a.close(), b.close()]);
  });

  it('stays open when its session is deleted and follows the session created again', async () => {
    await api('POST', '/session', { experiment_id: 'reborn' });
    const socket = await training('reborn');
    await api('DELETE', '/reborn');
    await api('POST', '/session', { experiment_id: 'reborn', total_epochs: 5 });
    await api('POST', '/reborn/log', { message: 'second life' });
    const frames = await socket.next(3);
    expect(frames.slice(1)).toMatchObject([
      { type: 'status_change', data: { status: 'queued', total_epochs: 5 } },
      { type: 'log', data: { message: 'second life', seq: 2 } },
    ]);
    await socket.close();
  });

  it('answers ping with pong and ignores every other client frame', async () => {
    const socket = await training('pinger');
    socket.send({ type: 'subscribe', channel: 'everything' });
    socket.send('not json at all');
    socket.send({ type: 'ping' });
    const frames = await socket.next(2);
    expect(frames[1]).toEqual({ type: 'pong' });
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    await socket.close();
  });

  it('writes NaN and Infinity metric values as those tokens', async () => {
    await api('POST', '/session', { experiment_id: 'nan-ws' });
    const socket = await training('nan-ws');
    const raw = new Promise<string>((resolve) => socket.ws.once('message', (m) => resolve(m.toString())));
    await api('POST', '/nan-ws/metrics', '{"epoch": 1, "metrics": {"loss": NaN, "gn": Infinity}}');
    expect(await raw).toMatch(/"loss":NaN,"gn":Infinity/);
    await socket.close();
  });

  it('refuses an experiment id that cannot exist', async () => {
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws/training/${'x'.repeat(129)}`);
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(status).toBe(400);
  });
});

describe('/api/v1/ws/system', () => {
  it('sends connection_established, then each sample published on the bus as system_stats', async () => {
    const socket = await PlainSocket.open(app.url, '/api/v1/ws/system?client_id=dash');
    expect(socket.frames[0]).toEqual({
      type: 'connection_established',
      data: { client_id: 'dash', subscription: 'system_stats', message: expect.any(String) },
    });
    const sample: SystemSample = {
      timestamp: '2026-11-29T12:00:00.123Z',
      host: 'gpu-node-1',
      cpu: { cpu_util: 57.1, cpu_count: 2, cpu_freq_current: 2300, cpu_freq_max: 0 },
      memory: { ram_used: 0.58, ram_total: 23.54, ram_percent: 3.7, ram_available: 22.68 },
      disk: { disk_used: 23.23, disk_total: 251.97, disk_percent: 22.9 },
      gpu: [
        {
          gpu_id: 0,
          gpu_name: 'NVIDIA H100',
          gpu_util: 97,
          gpu_temp: 71,
          vram_used: 20.1,
          vram_total: 80,
          vram_percent: 25.1,
          power_usage: 301.5,
        },
      ],
      network: { bytes_sent: 0.73, bytes_recv: 562.35, packets_sent: 7036, packets_recv: 13183 },
    };
    app.services.bus.publish({ kind: 'system', sample });
    app.services.bus.publish({ kind: 'system', sample: { ...sample, host: 'gpu-node-2', gpu: [] } });
    const frames = await socket.next(3);
    expect(frames[1]).toEqual({ type: 'system_stats', data: sample });
    expect(frames[2]).toEqual({ type: 'system_stats', data: { ...sample, host: 'gpu-node-2', gpu: [] } });
    await socket.close();
  });
});

describe('/api/v1/ws/stats', () => {
  it('counts open sockets and subscriptions, and falls back when they close', async () => {
    const before = await stats();
    expect(before).toEqual({ active_connections: 0, subscribers: { system: 0, training: 0, training_tasks: 0 } });

    const sockets = [
      await PlainSocket.open(app.url, '/api/v1/ws/system'),
      await training('stats-a'),
      await training('stats-a', 'same'),
      await training('stats-b', 'same'),
    ];
    expect(await stats()).toEqual({ active_connections: 4, subscribers: { system: 1, training: 3, training_tasks: 2 } });

    await sockets[2]!.close();
    // The server counts a socket out when its side closes; a client can only poll for that.
    await eventually(async () =>
      expect(await stats()).toEqual({ active_connections: 3, subscribers: { system: 1, training: 2, training_tasks: 2 } }),
    );
    await sockets[1]!.close();
    await eventually(async () =>
      expect(await stats()).toEqual({ active_connections: 2, subscribers: { system: 1, training: 1, training_tasks: 1 } }),
    );
    await Promise.all([sockets[0]!.close(), sockets[3]!.close()]);
    await eventually(async () => expect(await stats()).toEqual(before));
  });
});

describe('slow consumers', () => {
  it('cuts off a client that stops reading, and keeps serving the others', async () => {
    await api('POST', '/session', { experiment_id: 'firehose' });
    const stalled = await training('firehose', 'stalled');
    const healthy = await training('firehose', 'healthy');
    // Stop reading: what the server sends piles up in the TCP buffers, then in its own.
    stalled.ws.pause();

    const line = 'x'.repeat(32 * 1024);
    const batches = 40;
    for (let b = 0; b < batches; b++) {
      const entries = Array.from({ length: 25 }, (_, i) => ({
        level: 'INFO' as const,
        message: `${b}:${i} ${line}`,
        source: 'trainer',
      }));
      await app.services.logs.appendBatch('firehose', entries);
      if ((await stats()).subscribers.training === 1) break;
    }
    await eventually(async () => expect((await stats()).subscribers).toMatchObject({ training: 1, training_tasks: 1 }));
    stalled.ws.resume();
    expect((await stalled.closed).code).toBe(1006);

    // The reading client got everything posted so far and still gets what follows.
    await api('POST', '/firehose/log', { message: 'after the cut' });
    await eventually(async () => expect(healthy.frames.at(-1)?.data?.message).toBe('after the cut'));
    await healthy.close();
  });
});
