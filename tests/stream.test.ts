import { afterAll, describe, expect, it } from 'vitest';
import { EventCollector } from './helpers/collect';
import { setupTestServer } from './helpers/fixtures';
import { httpClient, wsClient } from './helpers/server';

const app = setupTestServer();

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('session.events', () => {
  it('waits for a session that does not exist yet, then delivers its events live, in order', async () => {
    const api = httpClient(app);
    const { client, socket } = wsClient(app.url);
    const seen = new EventCollector();
    const started = new Promise<void>((resolve) => {
      const sub = client.session.events.subscribe(
        { experimentId: 'live-1' },
        { onStarted: () => resolve(), onData: seen.onData, onError: (e) => console.error(e) },
      );
      afterAll(() => sub.unsubscribe());
    });
    await started;

    await api.session.create.mutate({ experimentId: 'live-1', totalEpochs: 2 });
    await api.log.append.mutate({ experimentId: 'live-1', level: 'info', message: 'epoch 1' });
    await api.metric.append.mutate({ experimentId: 'live-1', epoch: 1, step: 10, values: { loss: Number.NaN, mAP: 0.31 } });
    await api.session.setStatus.mutate({ experimentId: 'live-1', status: 'running' });

    await seen.until(() => seen.events.length === 4, 10_000, '4 events');
    expect(seen.events.map((e) => e.type)).toEqual(['status', 'log', 'metrics', 'status']);
    expect(seen.seqs()).toEqual([1, 2, 3, 4]);
    expect(seen.events[1]).toMatchObject({ data: { level: 'INFO', message: 'epoch 1', source: 'trainer' } });
    expect(seen.events[2]).toMatchObject({ data: { epoch: 1, step: 10, values: { loss: Number.NaN, mAP: 0.31 } } });
    expect(seen.events[3]).toMatchObject({ data: { status: 'running', previousStatus: 'queued' } });
    expect(seen.ids.at(-1)).toMatch(/^\d+:4$/);
    socket.close();
  });

  it('replays everything after lastEventId, then continues live', async () => {
    const api = httpClient(app);
    const { session } = await api.session.create.mutate({ experimentId: 'resume-1' });
    await api.log.appendBatch.mutate({
      experimentId: 'resume-1',
      entries: range(1, 5).map((i) => ({ message: `line ${i}` })),
    });
    const { client, socket } = wsClient(app.url);
    const seen = new EventCollector();
    const sub = client.session.events.subscribe(
      { experimentId: 'resume-1', lastEventId: `${session.id}:3` },
      { onData: seen.onData },
    );
    await seen.until(() => seen.events.length === 3, 10_000, 'replay');
    await api.log.append.mutate({ experimentId: 'resume-1', message: 'live' });
    await seen.until(() => seen.events.length === 4, 10_000, 'live event');
    expect(seen.seqs()).toEqual([4, 5, 6, 7]);
    sub.unsubscribe();
    socket.close();
  });

  it('ends with exactly the stored events after the server cuts the socket mid-stream, repeatedly', async () => {
    const api = httpClient(app);
    await api.session.create.mutate({ experimentId: 'drop-1' });
    const { client, socket, stats } = wsClient(app.url, { retryDelayMs: () => 20 });
    const seen = new EventCollector();
    const sub = client.session.events.subscribe({ experimentId: 'drop-1' }, { onData: seen.onData });
    await seen.until(() => seen.events.length >= 1, 10_000, 'first event');

    const batches = 40;
    const perBatch = 50;
    for (let b = 0; b < batches; b++) {
      await api.log.appendBatch.mutate({
        experimentId: 'drop-1',
        entries: range(1, perBatch).map((i) => ({ message: `b${b} l${i}` })),
      });
      if (b % 8 === 3) for (const ws of app.trpcSockets.clients) ws.terminate();
    }
    const total = 1 + batches * perBatch;
    await seen.until(() => seen.events.length >= total, 20_000, `${total} events`);
    const stored = await app.services.logs.list({ experimentId: 'drop-1', limit: 0 });
    expect(stats.opens).toBeGreaterThan(1); // it did reconnect
    expect(seen.seqs()).toEqual(range(1, total));
    expect(seen.events.slice(1).map((e) => (e.type === 'log' ? e.data.message : ''))).toEqual(stored.items.map((l) => l.message));
    sub.unsubscribe();
    socket.close();
  });

  it('tells a subscriber when the session is deleted and follows the new one from seq 1', async () => {
    const api = httpClient(app);
    await api.session.create.mutate({ experimentId: 'reborn' });
    const { client, socket } = wsClient(app.url);
    const seen = new EventCollector();
    const items: string[] = [];
    const sub = client.session.events.subscribe(
      { experimentId: 'reborn' },
      {
        onData: (t) => {
          items.push(t.data.kind);
          seen.onData(t);
        },
      },
    );
    await seen.until(() => seen.events.length === 1);
    await api.session.delete.mutate({ experimentId: 'reborn' });
    await api.session.create.mutate({ experimentId: 'reborn' });
    await seen.until(() => seen.events.length === 2);
    expect(items).toEqual(['events', 'deleted', 'events']);
    expect(seen.seqs()).toEqual([1, 1]);
    sub.unsubscribe();
    socket.close();
  });
});

describe('session.changes', () => {
  it('announces sessions created, updated and deleted', async () => {
    const api = httpClient(app);
    const { client, socket } = wsClient(app.url);
    const changes: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const started = new Promise<void>((resolve) => {
      client.session.changes.subscribe(undefined, {
        onStarted: () => resolve(),
        onData: (c) => {
          const id = c.change === 'deleted' ? c.experimentId : c.session.experimentId;
          if (id === 'changes-1') changes.push(c.change);
          if (changes.length === 3) done();
        },
      });
    });
    await started;
    await api.session.create.mutate({ experimentId: 'changes-1' });
    await api.session.setStatus.mutate({ experimentId: 'changes-1', status: 'running' });
    await api.session.delete.mutate({ experimentId: 'changes-1' });
    await finished;
    expect(changes).toEqual(['created', 'updated', 'deleted']);
    socket.close();
  });
});
