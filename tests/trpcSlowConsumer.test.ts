/**
 * A tRPC socket client that stops reading is cut off once the server holds more than the
 * buffer limit for it, as the plain sockets' clients are; a client that reads is untouched.
 */
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { TRPC_WS_PATH } from '../src/server/app';
import { EventCollector } from './helpers/collect';
import { setupTestServer } from './helpers/fixtures';
import { httpClient, wsClient } from './helpers/server';
import { until } from './kit/until';

// Small, so a few megabytes of logs trip it.
const app = setupTestServer({ socketBufferLimitBytes: 256 * 1024 });

it('cuts off a tRPC socket client that stops reading, and keeps serving the one that reads', async () => {
  const api = httpClient(app);
  await api.session.create.mutate({ experimentId: 'firehose' });

  // The stalled client speaks the tRPC socket protocol by hand, so it can stop reading.
  const stalled = new WebSocket(`${app.url.replace(/^http/, 'ws')}${TRPC_WS_PATH}`);
  const stalledClosed = new Promise<number>((resolve) => stalled.once('close', (code) => resolve(code)));
  let started = false;
  stalled.on('message', (raw) => {
    if ((JSON.parse(raw.toString()) as { result?: { type?: string } }).result?.type === 'started') started = true;
  });
  await new Promise<void>((resolve, reject) => {
    stalled.once('open', () => resolve());
    stalled.once('error', reject);
  });
  stalled.send(
    JSON.stringify({
      id: 1,
      method: 'subscription',
      params: { path: 'session.events', input: { json: { experimentId: 'firehose' } } },
    }),
  );
  await until(() => started, 'the stalled client to subscribe');

  const healthy = wsClient(app.url);
  const seen = new EventCollector();
  await new Promise<void>((resolve) =>
    healthy.client.session.events.subscribe({ experimentId: 'firehose' }, { onStarted: () => resolve(), onData: seen.onData }),
  );
  expect(app.trpcSockets.clients.size).toBe(2);

  // Stop reading: what the server sends piles up in the TCP buffers, then in its own.
  stalled.pause();
  const line = 'x'.repeat(32 * 1024);
  let posted = 0;
  // Batches well under the limit: the reading client (in this process, so it reads only
  // between batches) never has a limit's worth waiting, however busy the machine is.
  for (let b = 0; b < 400 && app.trpcSockets.clients.size === 2; b++) {
    const entries = Array.from({ length: 4 }, (_, i) => ({
      level: 'INFO' as const,
      message: `${b}:${i} ${line}`,
      source: 'trainer',
    }));
    await app.services.logs.appendBatch('firehose', entries);
    posted += entries.length;
  }
  await until(() => app.trpcSockets.clients.size === 1, 'the stalled client to be cut off');
  stalled.resume();
  expect(await stalledClosed).toBe(1006);

  // The reading client got everything posted so far, and still gets what follows.
  await api.log.append.mutate({ experimentId: 'firehose', message: 'after the cut' });
  const logs = () => seen.events.filter((e) => e.type === 'log');
  await seen.until(() => logs().at(-1)?.data.message === 'after the cut', 30_000, 'the line after the cut');
  expect(logs().length).toBe(posted + 1);
  expect(healthy.stats.opens).toBe(1);
  healthy.socket.close();
});
