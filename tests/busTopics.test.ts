/**
 * Issue 16, row 3: the bus once used run ids as topic names, so a run called `*` heard every
 * run and a run called `system` sat on the hosts' topic. Through a real server process, on
 * the plain socket and on tRPC's session.events, each run now hears only itself.
 */
import { afterAll, expect, it } from 'vitest';
import { EventCollector } from './helpers/collect';
import { setupServerProcess } from './helpers/fixtures';
import { call, LOGS, PlainSocket } from './helpers/plain';
import { wsClient } from './helpers/server';

const server = setupServerProcess();

const post = (path: string, body: unknown) => call(server.url, 'POST', `${LOGS}${path}`, body);

it.each(['*', 'system'])('row 3: a run named %s receives only its own events', async (id) => {
  const path = encodeURIComponent(id);
  const plain = await PlainSocket.open(server.url, `/api/v1/ws/training/${path}`);
  const { client, socket } = wsClient(server.url);
  const seen = new EventCollector();
  await new Promise<void>((resolve) => {
    const sub = client.session.events.subscribe({ experimentId: id }, { onStarted: () => resolve(), onData: seen.onData });
    afterAll(() => sub.unsubscribe());
  });
  // The hosts' stream must not carry a run's frames either.
  const system = await PlainSocket.open(server.url, '/api/v1/ws/system');

  expect((await post('/session', { experiment_id: id })).status).toBe(200);
  const other = `other-of-${id === '*' ? 'star' : id}`;
  await post('/session', { experiment_id: other });
  await post(`/${other}/log`, { message: 'not yours' });
  await post(`/${other}/metrics`, { epoch: 1, metrics: { loss: 1 } });
  expect((await call(server.url, 'DELETE', `${LOGS}/${other}`)).status).toBe(200);
  await post(`/${path}/log`, { message: 'mine' });

  await plain.next(3);
  expect(plain.frames.map((f) => [f.type, f.data?.status ?? f.data?.message])).toEqual([
    ['connection_established', expect.any(String)],
    ['status_change', 'queued'],
    ['log', 'mine'],
  ]);
  await seen.until(() => seen.events.some((e) => e.type === 'log'), 10_000, 'the run’s own line');
  expect(seen.events.map((e) => [e.type, e.seq])).toEqual([
    ['status', 1],
    ['log', 2],
  ]);
  expect(seen.events[1]).toMatchObject({ data: { message: 'mine' } });
  expect(system.frames.filter((f) => f.type !== 'connection_established' && f.type !== 'system_stats')).toEqual([]);

  socket.close();
  await Promise.all([plain.close(), system.close()]);
});
