/**
 * Issue 16, row 8: a database that stops answering (hung, or its network) without closing
 * anything. A real server process reaches PostgreSQL through a proxy that stops forwarding;
 * every door answers 503 after the statement or connection timeout instead of waiting for
 * the whole outage, and everything works again once the database answers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupTestDatabase } from './helpers/fixtures';
import { call, LOGS } from './helpers/plain';
import { startStallingProxy, type StallingProxy } from './helpers/stallingProxy';
import { freePort } from './kit/freePort';
import { serverProcess, type ServerProcess } from './kit/serverProcess';
import { until } from './kit/until';

const db = setupTestDatabase();
let proxy: StallingProxy;
let server: ServerProcess;

beforeAll(async () => {
  const target = new URL(db.url);
  proxy = await startStallingProxy(Number(target.port || 5432));
  target.hostname = '127.0.0.1';
  target.port = String(proxy.port);
  server = serverProcess(target.toString(), await freePort(), {
    env: { DB_QUERY_TIMEOUT_MS: '1500', DB_CONNECT_TIMEOUT_MS: '1000' },
  });
  await server.start();
}, 60_000);

afterAll(async () => {
  proxy?.resume();
  await server?.stop();
  await proxy?.close();
});

/** Status of a request, and its Retry-After if any; a generous client timeout stands for "waited for the outage". */
async function answerOf(path: string, init: RequestInit = {}): Promise<string> {
  try {
    const res = await fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    await res.arrayBuffer();
    const retry = res.headers.get('retry-after');
    return retry === null ? String(res.status) : `${res.status}, retry after ${retry} s`;
  } catch {
    return 'no answer';
  }
}

const statusOf = async (path: string, init: RequestInit = {}) => Number.parseInt(await answerOf(path, init), 10);

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

it('row 8: a hung database answers 503 on every door, more requests than the pool included, then recovers', async () => {
  expect((await call(server.url, 'POST', `${LOGS}/session`, { experiment_id: 'hung' })).status).toBe(200);
  proxy.stall();

  const doors = {
    health: answerOf('/health'),
    restRead: answerOf(`${LOGS}/hung/info`),
    restWrite: answerOf(`${LOGS}/hung/log`, json({ message: 'during the outage' })),
    trpcRead: answerOf(`/api/trpc/session.get?input=${encodeURIComponent('{"json":{"experimentId":"hung"}}')}`),
    trpcWrite: answerOf('/api/trpc/log.append', json({ json: { experimentId: 'hung', message: 'during the outage' } })),
  };
  // Twice the pool's ten connections: the ones waiting for a connection time out too.
  const crowd = Array.from({ length: 20 }, () => answerOf(`${LOGS}/hung/metrics`));
  const answers = Object.fromEntries(await Promise.all(Object.entries(doors).map(async ([k, v]) => [k, await v])));
  // Every door says the same: unavailable, try again in a second.
  const down = '503, retry after 1 s';
  expect(answers).toEqual({ health: down, restRead: down, restWrite: down, trpcRead: down, trpcWrite: down });
  expect(new Set(await Promise.all(crowd))).toEqual(new Set([down]));

  proxy.resume();
  await until(async () => (await statusOf(`${LOGS}/hung/info`)) === 200, 'the server to answer again after the database did');
  expect(await statusOf('/health')).toBe(200);
  expect(await statusOf(`${LOGS}/hung/log`, json({ message: 'after the outage' }))).toBe(200);
  expect(await statusOf('/api/trpc/log.append', json({ json: { experimentId: 'hung', message: 'after, via tRPC' } }))).toBe(200);
}, 90_000);
