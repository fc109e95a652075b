/**
 * Hostile requests and socket frames against one server, in rounds of fast-check runs: every
 * REST route, every tRPC procedure over HTTP and on its socket, both plain sockets. Every
 * answer must be under 500; the server's memory is read from /proc after a full collection
 * (see fixtures/gcOnSignal.mjs).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { appRouter } from '../../src/server/api/root';
import { endpoints } from '../../src/server/rest/endpoints';
import type { ServerProcess } from '../kit/serverProcess';
import { body, contentType, input, method, nastyString, safeStringify, text, trpcWire } from './hostileInput';

export interface Sent {
  method: string;
  path: string;
  body: string;
  status: number | 'connection closed';
}

/** Every REST route of the table, its parameter and query replaced by hostile ones. */
const restRequest = fc.record({
  endpoint: fc.constantFrom(...Object.values(endpoints)),
  ownMethod: fc.boolean(),
  method,
  id: fc.oneof(
    nastyString.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))),
    nastyString.map((s) => s.replace(/[/?#]/g, '')),
    fc.constantFrom('fuzz', '%', '%ZZ', '%C0%AF', '..', '%00'),
  ),
  query: fc.array(fc.tuple(fc.constantFrom('limit', 'level', 'min_level', 'search', 'cursor', 'x'), nastyString), {
    maxLength: 3,
  }),
  body,
  contentType,
});

export function restPath(endpointPath: string, id: string, query: [string, string][]): string {
  const params = new URLSearchParams(query.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, '\ufffd')]));
  const q = params.toString();
  return endpointPath.replace('{experiment_id}', id) + (q ? `?${q}` : '');
}

export const PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(
  ([name, procedure]) => ({ name, type: procedure._def.type }),
);

const trpcRequest = fc.record({
  procedures: fc.array(fc.constantFrom(...PROCEDURES), { minLength: 1, maxLength: 3 }),
  batch: fc.boolean(),
  asGet: fc.boolean(),
  method,
  wire: trpcWire,
  body,
  contentType,
});

/** Garbage for a socket: text, truncated JSON, binary, and frames past the size limit. */
const frame = fc.oneof(
  fc.constantFrom('{"type":"ping"}', '{"type":"ping"', '{"type":', 'null', '[]', '{"type":{"$ne":1}}', 'NaN'),
  text.map((t) => t.slice(0, 300_000)),
  input.map(safeStringify),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.alloc(200_000, 0x7b)),
);

/** tRPC socket messages: JSON-RPC-shaped with hostile fields, or plain garbage. */
const trpcFrame = fc.oneof(
  fc
    .record({
      id: fc.oneof(fc.integer(), nastyString, fc.constant(null)),
      method: fc.constantFrom('query', 'mutation', 'subscription', 'subscription.stop', 'connectionParams', 'x'),
      params: fc.record({ path: fc.oneof(fc.constantFrom(...PROCEDURES.map((p) => p.name)), nastyString), input: input }),
    })
    .map((m) => safeStringify(m)),
  frame,
);

const plainPath = fc.oneof(
  fc.constant('/api/v1/ws/system'),
  nastyString.map((s) => `/api/v1/ws/training/${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))}`),
  fc.constantFrom('/api/v1/ws/training/fuzz', '/api/v1/ws/training/%', '/api/v1/ws/training/', '/api/v1/ws/nope'),
);

const runs = (n: number) => ({ numRuns: n, endOnFailure: true });

/** The checks and rounds against `server`, read at each call (a handle opened in beforeAll will do). */
export function hostileClient(server: ServerProcess) {
  async function send(m: string, p: string, b?: string | Buffer, type?: string): Promise<Sent> {
    const withBody = b !== undefined && m !== 'GET' && m !== 'HEAD';
    try {
      const res = await fetch(`${server.url}${p}`, {
        method: m,
        headers: type && withBody ? { 'content-type': type } : {},
        body: withBody ? (typeof b === 'string' ? b : new Uint8Array(b)) : undefined,
        signal: AbortSignal.timeout(20_000),
      });
      // Subscriptions over HTTP stream for ever: their status is all that matters.
      if (res.headers.get('content-type')?.includes('text/event-stream')) await res.body?.cancel();
      else await res.arrayBuffer();
      return { method: m, path: p.slice(0, 200), body: String(b).slice(0, 120), status: res.status };
    } catch (error) {
      // A refused oversized body may close the connection before the client is done writing.
      if ((error as Error).name === 'TimeoutError') throw error;
      await expectAlive();
      return { method: m, path: p.slice(0, 200), body: String(b).slice(0, 120), status: 'connection closed' };
    }
  }

  function expectNo5xx(sent: Sent): void {
    const ok = sent.status === 'connection closed' || sent.status < 500;
    // The server's last log lines name the fault (its request id) when it answered 5xx.
    const why = ok ? '' : `${sent.method} ${sent.path} ${sent.body} answered ${sent.status}\n${server.output.slice(-2000)}`;
    expect(ok, why).toBe(true);
  }

  async function expectAlive(): Promise<void> {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }

  /** Opens a socket, sends the frames, closes it; an upgrade refused must not be a 5xx. */
  async function throwFrames(socketPath: string, frames: (string | Buffer)[]): Promise<void> {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${socketPath}`);
    const outcome = await new Promise<{ status?: number; opened: boolean }>((resolve) => {
      ws.once('open', () => resolve({ opened: true }));
      ws.once('unexpected-response', (_req, res) => {
        resolve({ opened: false, status: res.statusCode });
        res.resume();
      });
      ws.once('error', () => resolve({ opened: false }));
    });
    if (!outcome.opened) {
      expect(outcome.status ?? 0, `upgrade of ${socketPath.slice(0, 200)}`).toBeLessThan(500);
      ws.terminate();
      return;
    }
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => {});
    for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f, { binary: typeof f !== 'string' });
    ws.close();
    await closed;
  }

  function rssBytes(): number {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
  }

  async function settledRss(): Promise<number> {
    // Collected twice, a moment apart, so memory freed by the first pass is returned too.
    for (let i = 0; i < 2; i++) {
      process.kill(server.pid!, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    return rssBytes();
  }

  async function restRound(numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(restRequest, async (r) => {
        const m = r.ownMethod ? r.endpoint.method : r.method;
        expectNo5xx(await send(m, restPath(r.endpoint.path, r.id, r.query), r.body, r.contentType));
      }),
      runs(numRuns),
    );
  }

  async function trpcRound(numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(trpcRequest, async (r) => {
        const names = r.procedures.map((p) => p.name).join(',');
        const first = r.procedures[0]!;
        const wire = r.batch ? `{"0":${r.wire}}` : r.wire;
        const base = `/api/trpc/${r.batch ? names : first.name}${r.batch ? '?batch=1' : ''}`;
        if (r.asGet || first.type !== 'mutation') {
          const sep = r.batch ? '&' : '?';
          expectNo5xx(await send('GET', `${base}${sep}input=${encodeURIComponent(wire.replace(/[\ud800-\udfff]/g, '\ufffd'))}`));
        } else {
          expectNo5xx(
            await send(r.method === 'GET' ? 'POST' : r.method, base, r.batch ? `{"0":${String(r.body)}}` : r.body, r.contentType),
          );
        }
      }),
      runs(numRuns),
    );
  }

  async function socketRound(numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(plainPath, fc.array(frame, { maxLength: 4 }), async (p, frames) => {
        await throwFrames(p, frames);
      }),
      runs(numRuns),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(trpcFrame, { maxLength: 4 }), async (frames) => {
        await throwFrames('/api/trpc-ws', frames);
      }),
      runs(numRuns),
    );
  }

  return { send, expectNo5xx, expectAlive, throwFrames, rssBytes, settledRss, restRound, trpcRound, socketRound };
}
