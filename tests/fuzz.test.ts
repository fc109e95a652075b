/**
 * Hostile input at every door of a real server process: every REST route, every tRPC
 * procedure over HTTP (raw requests, superjson-shaped or not, batched or not, and garbage
 * on the tRPC socket) and both plain sockets. Wrong types, huge and deeply nested JSON,
 * unicode with lone surrogates and NUL, NaN tokens, SQL-looking strings, truncated and
 * binary frames. The server must never answer 5xx, never die, and give its memory back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import superjson from 'superjson';
import { beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { appRouter } from '../src/server/api/root';
import { endpoints } from '../src/server/rest/endpoints';
import { setupServerProcess } from './helpers/fixtures';
import { until } from './kit/until';

const server = setupServerProcess({
  nodeArgs: ['--expose-gc', '--import', path.resolve(import.meta.dirname, 'fixtures/gcOnSignal.mjs')],
});
let baselineRss = 0;

// ---------------------------------------------------------------------------------------
// What a hostile client sends.

const SQL = [
  "'; DROP TABLE log_entry; --",
  "1' OR '1'='1",
  '" OR ""="',
  "%' UNION SELECT key_hash FROM api_key --",
  '$1',
  "'); SELECT pg_sleep(10); --",
  "E'\\\\x00'",
];
const ODD = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202e\u200b',
  '💥🔥',
  'NaN',
  'Infinity',
  '-Infinity',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%',
  '%00',
  '%E0%A4%A',
  '%2F..%2F',
  '\\',
  '?#',
  'x'.repeat(129),
  'x'.repeat(70_000),
  // Ids no door may accept: control and format characters, blank, names REST cannot address.
  'line\nbreak',
  'tab\there',
  '\r',
  '\u2028',
  '\u200b',
  '\ufeffbom',
  '\u0085',
  '   ',
  '.',
  'sessions',
];
const nastyString = fc.oneof(
  fc.constantFrom(...SQL, ...ODD),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 8 }),
);
const KEYS = [
  'experimentId',
  'experiment_id',
  'events',
  'type',
  'level',
  'min_level',
  'message',
  'source',
  'epoch',
  'step',
  'values',
  'metrics',
  'config',
  'totalEpochs',
  'total_epochs',
  'status',
  'limit',
  'cursor',
  'lastEventId',
  'producer',
  'producerSeq',
  'samples',
  'hostname',
  'name',
  'scope',
  'key',
  'action',
  'timestamp',
  'search',
  'from',
  'to',
  'names',
  'json',
  'meta',
];
const key = fc.oneof(fc.constantFrom(...KEYS), nastyString);
const leaf = fc.oneof(
  nastyString,
  fc.double(), // NaN and ±Infinity included
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, -0, 1e-320),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: false }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
}));

/** Near-valid inputs with one field replaced: they get past the first checks, deeper in. */
const TEMPLATES: Record<string, unknown>[] = [
  { experimentId: 'fuzz', level: 'INFO', message: 'm' },
  {
    experimentId: 'fuzz',
    events: [
      { type: 'log', message: 'm' },
      { type: 'metrics', epoch: 1, values: { loss: 1 } },
    ],
  },
  { experimentId: 'fuzz', epoch: 1, step: 2, values: { loss: 0.5 } },
  { experimentId: 'fuzz', status: 'running', message: 'x' },
  { experimentId: 'fuzz', config: { lr: 0.1 }, totalEpochs: 10 },
  { experiment_id: 'fuzz', config: { lr: 0.1 }, total_epochs: 10 },
  { level: 'INFO', message: 'm', source: 's' },
  { epoch: 1, step: 2, metrics: { loss: 0.5 } },
  { status: 'running' },
  { experimentId: 'fuzz', limit: 10, names: ['loss'] },
  { samples: [{ hostname: 'h', timestamp: new Date(0) }] },
];
const nearValid = fc
  .tuple(fc.constantFrom(...TEMPLATES), key, value)
  .map(([template, k, v]) => ({ ...template, [k]: v }) as unknown);
const input = fc.oneof(value, nearValid);

/** Bodies no generator of values writes: deep, huge, truncated, not JSON at all. */
// Deeper than any call stack holds frames for (about 10,000), so recursion would show.
const DEEP = 50_000;
const SPECIAL_TEXTS = [
  '['.repeat(DEEP) + ']'.repeat(DEEP),
  '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP),
  '['.repeat(DEEP) + 'NaN' + ']'.repeat(DEEP),
  '{"experiment_id":"deep","config":' + '{"a":'.repeat(DEEP) + 'NaN' + '}'.repeat(DEEP) + '}',
  '{"json":' + '['.repeat(DEEP) + ']'.repeat(DEEP) + '}',
  '{"json":{"experimentId":"deep","config":' + '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP + 1) + '}',
  '{"level":"INFO","message":"' + 'x'.repeat(256 * 1024) + '"}',
  '{' + Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',') + '}',
  '[' + '1,'.repeat(50_000) + '1]',
  'NaN',
  '-Infinity',
  '{"epoch": NaN, "metrics": {"loss": Infinity, "x": -Infinity, "y": NaNa}}',
  '{"a": "\\ud800", "b": "\\u0000", "c": "\\udfff\\ud800"}',
  '{"json":{"experimentId":"x"},"meta":{"values":{"experimentId":["custom","nope"]}}}',
  '{"json":{"a":1},"meta":{"values":{"__proto__":["set"]},"referentialEqualities":{"a":["__proto__.polluted"]}}}',
  '{"json":1,"meta":{"values":[["class","Foo"]]}}',
  '{"0":{"json":null},"1":{"json":{"experimentId":"x"}}}',
  '\u0000',
  '{"message": "unterminated',
  '{"a":1}garbage',
  '\uFEFF{"status":"running"}',
  // superjson references: a cycle, a cycle through the root, a shared object, one that
  // multiplies itself (2^40 values from a few hundred bytes), and a Set annotation.
  '{"json":{"experimentId":"c","config":{"a":{},"b":null}},"meta":{"referentialEqualities":{"config.a":["config.b","config.a.self"]}}}',
  '{"json":{"experimentId":"c","config":{"a":{}}},"meta":{"referentialEqualities":[["config.a.root"]]}}',
  '{"json":{"experimentId":"shared","config":{"a":{"x":1},"b":null}},"meta":{"referentialEqualities":{"config.a":["config.b"]}}}',
  laughs(40),
  '{"json":{"experimentId":"x","names":["a","b"]},"meta":{"values":{"names":["set"]}}}',
  // Prototype-named keys where records are accepted.
  '{"experiment_id":"p","config":{"constructor":{}}}',
  '{"experiment_id":"p","config":{"a":[{"prototype":1}]}}',
  '{"epoch":1,"metrics":{"constructor":1}}',
  '{"json":{"experimentId":"p","epoch":1,"values":{"__proto__":1}}}',
  '{"json":{"experimentId":"p","config":{"__proto__":{"polluted":true}}}}',
];
/** superjson meta whose references nest `levels` deep, each level holding the one below twice. */
function laughs(levels: number): string {
  const refs: Record<string, string[]> = {};
  let json = '1';
  for (let i = levels - 1; i >= 0; i--) {
    const path = ['config', ...Array.from({ length: i }, () => 'l')].join('.');
    refs[`${path}.l`] = [`${path}.r`];
    json = `{"l":${json},"r":null}`;
  }
  return JSON.stringify({
    json: { experimentId: 'laughs', config: JSON.parse(json) as unknown },
    meta: { referentialEqualities: refs },
  });
}

const text = fc.oneof(
  fc.constantFrom(...SPECIAL_TEXTS),
  input.map((v) => safeStringify(v).slice(0, -1)), // truncated
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** JSON text of any value (Dates as strings, BigInt impossible here, cycles impossible). */
function safeStringify(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/** superjson's form of a value; superjson itself refuses keys like __proto__, so those go raw. */
function superjsonText(v: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(v));
  } catch {
    return safeStringify({ json: v });
  }
}

/** A superjson path into the inputs above, sometimes through itself. */
const refPath = fc
  .array(fc.constantFrom('config', 'a', 'b', 'self', '0', 'events', 'values', 'experimentId', '__proto__'), {
    minLength: 1,
    maxLength: 4,
  })
  .map((p) => p.join('.'));
const references = fc.oneof(
  fc.dictionary(refPath, fc.array(refPath, { minLength: 1, maxLength: 3 }), { maxKeys: 3 }),
  fc.array(refPath, { minLength: 1, maxLength: 2 }).map((root) => [root]),
);

/** A tRPC input as a client might put it on the wire: superjson-shaped or not, or garbage. */
const trpcWire = fc.oneof(
  input.map(superjsonText),
  fc.tuple(input, value).map(([v, meta]) => safeStringify({ json: v, meta })),
  fc.tuple(input, references).map(([v, r]) => safeStringify({ json: v, meta: { referentialEqualities: r } })),
  input.map(safeStringify),
  text,
);

const body = fc.oneof(
  { weight: 3, arbitrary: trpcWire.map((s): string | Buffer => s) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)), // invalid UTF-8 too
  },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=xyz',
  'application/x-www-form-urlencoded',
  undefined,
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');

// ---------------------------------------------------------------------------------------
// Sending it.

interface Sent {
  method: string;
  path: string;
  body: string;
  status: number | 'connection closed';
}

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

function restPath(endpointPath: string, id: string, query: [string, string][]): string {
  const params = new URLSearchParams(query.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, '\ufffd')]));
  const q = params.toString();
  return endpointPath.replace('{experiment_id}', id) + (q ? `?${q}` : '');
}

const PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(
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

// ---------------------------------------------------------------------------------------
// The server's memory, from /proc, after a full collection (see fixtures/gcOnSignal.mjs).

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

const MiB = 1024 * 1024;
const runs = (n: number) => ({ numRuns: n, endOnFailure: true });

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

const plainPath = fc.oneof(
  fc.constant('/api/v1/ws/system'),
  nastyString.map((s) => `/api/v1/ws/training/${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))}`),
  fc.constantFrom('/api/v1/ws/training/fuzz', '/api/v1/ws/training/%', '/api/v1/ws/training/', '/api/v1/ws/nope'),
);

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
