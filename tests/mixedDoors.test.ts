import { afterAll, describe, expect, it } from 'vitest';
import { EventCollector } from './helpers/collect';
import { setupTestServer } from './helpers/fixtures';
import { PlainSocket, trainingLogs } from './helpers/plain';
import { httpClient, wsClient } from './helpers/server';

const app = setupTestServer();

const rest = trainingLogs(app);

describe('one event stream behind every door', () => {
  it('delivers logs posted through REST to a tRPC subscription and a plain socket, in the same order', async () => {
    await rest('POST', '/session', { experiment_id: 'doors-1' });
    const plain = await PlainSocket.open(app.url, '/api/v1/ws/training/doors-1');
    const { client, socket } = wsClient(app.url);
    const seen = new EventCollector();
    await new Promise<void>((resolve) => {
      const sub = client.session.events.subscribe(
        { experimentId: 'doors-1' },
        { onStarted: () => resolve(), onData: seen.onData },
      );
      afterAll(() => sub.unsubscribe());
    });

    await rest('POST', '/doors-1/log', { level: 'info', message: 'from curl 1' });
    await rest('POST', '/doors-1/log', { level: 'error', message: 'from curl 2' });

    // tRPC replays from the start (seq 1, the creation); the plain socket is live-only.
    await seen.until(() => seen.events.length === 3, 10_000, 'three tRPC events');
    expect(seen.events.slice(1).map((e) => e.type === 'log' && [e.data.level, e.data.message])).toEqual([
      ['INFO', 'from curl 1'],
      ['ERROR', 'from curl 2'],
    ]);
    const frames = await plain.next(3);
    expect(frames.slice(1).map((f) => [f.type, f.data?.level, f.data?.message, f.data?.seq])).toEqual([
      ['log', 'INFO', 'from curl 1', 2],
      ['log', 'ERROR', 'from curl 2', 3],
    ]);
    await plain.close();
    socket.close();
  });

  it('delivers logs, metrics and status sent through tRPC to a plain socket', async () => {
    const api = httpClient(app);
    const plain = await PlainSocket.open(app.url, '/api/v1/ws/training/doors-2');
    await api.session.create.mutate({ experimentId: 'doors-2', totalEpochs: 3 });
    await api.log.append.mutate({ experimentId: 'doors-2', level: 'WARNING', message: 'from tRPC' });
    await api.log.appendBatch.mutate({ experimentId: 'doors-2', entries: [{ message: 'batch 1' }, { message: 'batch 2' }] });
    await api.metric.append.mutate({ experimentId: 'doors-2', epoch: 1, values: { loss: Number.NaN } });
    await api.session.setStatus.mutate({ experimentId: 'doors-2', status: 'running' });

    const frames = (await plain.next(7)).slice(1);
    expect(frames.map((f) => f.type)).toEqual(['status_change', 'log', 'log', 'log', 'metrics_update', 'status_change']);
    expect(frames.filter((f) => f.type === 'log').map((f) => f.data?.message)).toEqual(['from tRPC', 'batch 1', 'batch 2']);
    expect(frames[4]!.data).toMatchObject({ epoch: 1, loss: Number.NaN });
    expect(frames[5]!.data).toMatchObject({ status: 'running', total_epochs: 3, current_epoch: 1 });

    // And the REST reads see what tRPC wrote.
    const logs = await rest('GET', '/doors-2?min_level=warning');
    expect(logs.json).toMatchObject({ count: 1, data: [{ level: 'WARNING', message: 'from tRPC' }] });
    await plain.close();
  });
});
