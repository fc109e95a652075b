import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../src/server/app';
import { EventCollector } from './helpers/collect';
import { setupTestDatabase } from './helpers/fixtures';
import { httpClient, startTestServer, wsClient } from './helpers/server';

const db = setupTestDatabase();
let a: RunningApp;
let b: RunningApp;

beforeAll(async () => {
  // Together, as two replicas start.
  [a, b] = await Promise.all([startTestServer(db.url), startTestServer(db.url)]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe('two app instances on one database', () => {
  it('delivers an event written through one to a subscriber of the other', async () => {
    const { client, socket } = wsClient(b.url);
    const seen = new EventCollector();
    await new Promise<void>((resolve) =>
      client.session.events.subscribe({ experimentId: 'shared' }, { onStarted: () => resolve(), onData: seen.onData }),
    );
    const api = httpClient(a);
    await api.session.create.mutate({ experimentId: 'shared' });
    await api.log.append.mutate({ experimentId: 'shared', message: 'from A' });
    // Too large for a NOTIFY payload: it travels by reference and is read back.
    const big = 'x'.repeat(20_000);
    await api.log.append.mutate({ experimentId: 'shared', message: big });
    await api.metric.append.mutate({ experimentId: 'shared', epoch: 1, values: { loss: Number.POSITIVE_INFINITY } });

    await seen.until(() => seen.events.length === 4, 10_000, 'events from the other instance');
    expect(seen.seqs()).toEqual([1, 2, 3, 4]);
    expect(seen.events[1]).toMatchObject({ type: 'log', data: { message: 'from A' } });
    expect(seen.events[2]).toMatchObject({ type: 'log', data: { message: big } });
    expect(seen.events[3]).toMatchObject({ type: 'metrics', data: { values: { loss: Number.POSITIVE_INFINITY } } });
    socket.close();
  });

  it('announces session changes across instances', async () => {
    const { client, socket } = wsClient(a.url);
    let started!: () => void;
    const subscribed = new Promise<void>((r) => (started = r));
    const got = new Promise<string>((resolve) => {
      client.session.changes.subscribe(undefined, {
        onStarted: () => started(),
        onData: (c) => c.change === 'created' && c.session.experimentId === 'made-on-b' && resolve(c.session.experimentId),
      });
    });
    await subscribed;
    await httpClient(b).session.create.mutate({ experimentId: 'made-on-b', config: { model: 'yolov8n' } });
    expect(await got).toBe('made-on-b');
    socket.close();
  });
});
