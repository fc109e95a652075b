/**
 * Hostile input at every door of a real server process: every REST route, every tRPC
 * procedure over HTTP (raw requests, superjson-shaped or not, batched or not, and garbage
 * on the tRPC socket) and both plain sockets. Wrong types, huge and deeply nested JSON,
 * unicode with lone surrogates and NUL, NaN tokens, SQL-looking strings, truncated and
 * binary frames. The server must never answer 5xx, never die, and give its memory back.
 */
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { endpoints } from '../src/server/rest/endpoints';
import { setupServerProcess } from './helpers/fixtures';
import { hostileClient, PROCEDURES, restPath } from './helpers/hostileClient';
import { DEEP, SPECIAL_TEXTS } from './helpers/hostileInput';
import { until } from './kit/until';

const server = setupServerProcess({
  nodeArgs: ['--expose-gc', '--import', path.resolve(import.meta.dirname, 'fixtures/gcOnSignal.mjs')],
});
let baselineRss = 0;

const { send, expectNo5xx, expectAlive, rssBytes, settledRss, restRound, trpcRound, socketRound } = hostileClient(server);
const MiB = 1024 * 1024;

beforeAll(async () => {
  // Warm up every path once (code compiled, pools filled), then take the baseline.
  for (const t of SPECIAL_TEXTS) await send('POST', '/api/v1/training/logs/session', t, 'application/json');
  await restRound(20);
  await trpcRound(20);
  await socketRound(5);
  baselineRss = await settledRss();
}, 60_000);

it('answers hostile input at every REST route with a 4xx, never a 5xx', async () => {
  for (const endpoint of Object.values(endpoints)) {
    for (const t of SPECIAL_TEXTS) {
      expectNo5xx(await send(endpoint.method, restPath(endpoint.path, 'fuzz', []), t, 'application/json'));
    }
  }
  await restRound(250);
  await expectAlive();
}, 60_000);

it('refuses a config nested past the limit by name, at both doors, rather than overflowing the stack', async () => {
  const deep = '{"a":'.repeat(DEEP) + 'NaN' + '}'.repeat(DEEP);
  const rest = await fetch(`${server.url}/api/v1/training/logs/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"experiment_id":"deep-config","config":${deep}}`,
  });
  expect(rest.status).toBe(422);
  expect(await rest.json()).toMatchObject({ details: [{ loc: ['body', 'config'], msg: 'must nest at most 64 levels' }] });

  const trpc = await fetch(`${server.url}/api/trpc/session.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"json":{"experimentId":"deep-config","config":${deep.replace('NaN', '1')}}}`,
  });
  // tRPC refuses it while reading the input (superjson's walk), before the schema: still a 400.
  expect(trpc.status).toBe(400);
  await trpc.arrayBuffer();
  const shallow = await fetch(`${server.url}/api/trpc/session.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"json":{"experimentId":"deep-config","config":${'{"a":'.repeat(100) + '1' + '}'.repeat(100)}}}`,
  });
  expect(shallow.status).toBe(400);
  expect(await shallow.text()).toContain('must nest at most 64 levels');
});

it('answers hostile input at every tRPC procedure over HTTP with a 4xx, never a 5xx', async () => {
  // Each special body reaches a third of the procedures (every kind of procedure included).
  for (const [i, { name, type }] of PROCEDURES.entries()) {
    for (const t of SPECIAL_TEXTS.filter((_, j) => j % 3 === i % 3)) {
      const sent =
        type === 'mutation'
          ? await send('POST', `/api/trpc/${name}`, t, 'application/json')
          : await send('GET', `/api/trpc/${name}?input=${encodeURIComponent(t)}`);
      expectNo5xx(sent);
    }
  }
  await trpcRound(250);
  await expectAlive();
}, 60_000);

it('survives garbage on both plain sockets and the tRPC socket', async () => {
  await socketRound(50);
  await expectAlive();
  // The sockets still serve: a ping on a fresh one is answered.
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/ws/training/fuzz`);
  const types: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      types.push((JSON.parse(raw.toString()) as { type: string }).type);
      if (types.length === 1) ws.send('{"type":"ping"}');
      else resolve();
    });
    ws.once('error', reject);
  });
  expect(types).toEqual(['connection_established', 'pong']);
  ws.close();
}, 60_000);

it('still answers every read after the storm: nothing it stored makes a later read fail', async () => {
  const list = await send('GET', '/api/v1/training/logs/sessions');
  expect(list.status).toBe(200);
  const res = await fetch(`${server.url}/api/trpc/session.list?input=${encodeURIComponent('{"json":{"limit":1000}}')}`);
  expect(res.status).toBe(200);
  const { result } = (await res.json()) as { result: { data: { json: { items: { experimentId: string }[] } } } };
  for (const { experimentId } of result.data.json.items) {
    const id = encodeURIComponent(experimentId);
    for (const p of [`/api/v1/training/logs/${id}/info`, `/api/v1/training/logs/${id}/metrics`, `/api/v1/training/logs/${id}`]) {
      expectNo5xx(await send('GET', p));
    }
    const input = encodeURIComponent(JSON.stringify({ json: { experimentId } }));
    for (const procedure of ['session.get', 'metric.list', 'log.list', 'metric.series']) {
      expectNo5xx(await send('GET', `/api/trpc/${procedure}?input=${input}`));
    }
  }
}, 60_000);

it('gives its memory back once the storm is over', async () => {
  // Generous slack: allocator fragmentation and caches, not leaks, account for this much.
  await until(
    async () => (await settledRss()) < baselineRss + 100 * MiB,
    'the server memory to return near its baseline',
    20_000,
    () => ({ baselineMiB: Math.round(baselineRss / MiB), nowMiB: Math.round(rssBytes() / MiB) }),
  );
  await expectAlive();
}, 30_000);
