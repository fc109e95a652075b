/**
 * Issue 16, row 9: 150 plain sockets that never read once stalled ingest while their
 * buffers filled. Through a real server process: with 150 sockets paused, batches of 4,000
 * lines are stored and answered, a socket that reads receives every line in order, and a
 * paused one that starts reading again receives every line too, in order, none twice.
 * (How fast, against no socket at all, is measured in bench/slowSockets.bench.ts.)
 */
import { expect, it } from 'vitest';
import { setupServerProcess } from './helpers/fixtures';
import { call, LOGS, PlainSocket } from './helpers/plain';
import { pausedSocket } from './kit/pausedSocket';
import { until } from './kit/until';

const server = setupServerProcess();

it('row 9: 150 sockets that never read do not hold up ingest, and lose nothing for those that do', async () => {
  const id = 'slow-readers';
  await call(server.url, 'POST', `${LOGS}/session`, { experiment_id: id });
  const url = `${server.url.replace(/^http/, 'ws')}/api/v1/ws/training/${id}`;
  const stalled = await Promise.all(Array.from({ length: 150 }, () => pausedSocket(url)));
  const reader = await PlainSocket.open(server.url, `/api/v1/ws/training/${id}`);

  const batches = 3;
  const lines = 4000;
  for (let b = 0; b < batches; b++) {
    const entries = Array.from({ length: lines }, (_, i) => ({ message: `${b * lines + i}` }));
    const res = await fetch(`${server.url}/api/trpc/log.appendBatch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { experimentId: id, entries } }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  const expected = Array.from({ length: batches * lines }, (_, i) => `${i}`);
  const messages = (frames: { type: string; data?: Record<string, unknown> }[]) =>
    frames.filter((f) => f.type === 'log').map((f) => f.data?.message);
  await until(() => reader.frames.length > expected.length, 'every line at the reading socket', 60_000);
  expect(messages(reader.frames)).toEqual(expected);

  // Three of the paused ones read again: what waited for them arrives whole and in order.
  const resumed = stalled.slice(0, 3).map((ws) => {
    const got: string[] = [];
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { type: string; data?: { message?: string } };
      if (frame.type === 'log') got.push(frame.data!.message!);
    });
    ws.resume();
    return got;
  });
  await until(() => resumed.every((got) => got.length >= expected.length), 'every line at the resumed sockets', 60_000);
  for (const got of resumed) expect(got).toEqual(expected);

  for (const ws of stalled) ws.terminate();
  await reader.close();
}, 120_000);
