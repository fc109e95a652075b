/**
 * Issue 16, the input findings, each through the door an attacker would use against a real
 * server process: hostile superjson meta, prototype-named keys, wildcard searches, samples
 * from the future, ids no one can address, and error messages that must not show internals.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { setupServerProcess } from './helpers/fixtures';
import { call, LOGS } from './helpers/plain';

const server = setupServerProcess();

interface TrpcAnswer {
  status: number;
  message: string;
  issues: { path: (string | number)[]; message: string }[] | null;
  data: unknown;
}

/** A raw tRPC call: `wire` is the body (mutation) or the input parameter (query), as sent. */
async function trpc(path: string, wire: string, kind: 'mutation' | 'query' = 'mutation'): Promise<TrpcAnswer> {
  const res =
    kind === 'mutation'
      ? await fetch(`${server.url}/api/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: wire,
        })
      : await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(wire)}`);
  const body = (await res.json()) as {
    error?: { json: { message: string; data: { issues: TrpcAnswer['issues'] } } };
    result?: { data: { json: unknown } };
  };
  return {
    status: res.status,
    message: body.error?.json.message ?? '',
    issues: body.error?.json.data.issues ?? null,
    data: body.result?.data.json,
  };
}

async function expectHealthy(): Promise<void> {
  const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

/** Sends one message on a fresh tRPC socket and resolves with the server's answer to it. */
async function overTrpcSocket(message: unknown): Promise<{ error?: { message: string } }> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/trpc-ws`);
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const answer = new Promise<{ error?: { message: string } }>((resolve) =>
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as { id?: unknown; error?: { json?: { message: string } } };
      if (m.id === 1 || m.id === null) resolve({ error: m.error?.json });
    }),
  );
  ws.send(JSON.stringify(message));
  const result = await answer;
  ws.close();
  return result;
}

describe('row 1: superjson references cannot freeze the server', () => {
  it('row 1: a referentialEqualities cycle is refused with a 400 naming it, and the server keeps answering', async () => {
    const wire = JSON.stringify({
      json: { experimentId: 'c', config: { a: {}, b: null } },
      meta: { referentialEqualities: { 'config.a': ['config.b', 'config.a.self'] } },
    });
    const answer = await trpc('session.create', wire);
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/^The input refers to itself at config\.(a|b)\.self/);
    await expectHealthy();
    const runs = await call(server.url, 'GET', `${LOGS}/sessions`);
    expect((runs.json.data as { experiment_id: string }[]).map((s) => s.experiment_id)).not.toContain('c');
  });

  it('row 1: the same cycle on the tRPC socket is refused and the socket server still serves', async () => {
    const answer = await overTrpcSocket({
      id: 1,
      method: 'mutation',
      params: {
        path: 'session.create',
        input: {
          json: { experimentId: 'c', config: { a: {}, b: null } },
          meta: { referentialEqualities: { 'config.a': ['config.a.x'] } },
        },
      },
    });
    expect(answer.error?.message).toMatch(/refers to itself/);
    await expectHealthy();
  });

  it('row 1: shared references are expanded and stored as plain copies', async () => {
    const wire = JSON.stringify({
      json: { experimentId: 'shared-refs', config: { train: { aug: 'mosaic' }, val: null } },
      meta: { referentialEqualities: { 'config.train': ['config.val'] } },
    });
    expect((await trpc('session.create', wire)).status).toBe(200);
    const info = await call(server.url, 'GET', `${LOGS}/shared-refs/info`);
    expect(info.json.data).toMatchObject({ config: { train: { aug: 'mosaic' }, val: { aug: 'mosaic' } } });
  });

  it('row 1: references that expand past the size limit (a "billion laughs") are refused quickly', async () => {
    // Each level holds the one below twice: 2^40 values once expanded, from a few hundred bytes.
    const levels = 40;
    const config: Record<string, unknown> = {};
    const refs: Record<string, string[]> = {};
    for (let i = 0; i < levels; i++) {
      const path = ['config', ...Array.from({ length: i }, () => 'l')].join('.');
      refs[`${path}.l`] = [`${path}.r`];
    }
    let node = config;
    for (let i = 0; i < levels; i++) node = (node.l = { r: null }) as Record<string, unknown>;
    const answer = await trpc(
      'session.create',
      JSON.stringify({ json: { experimentId: 'laughs', config }, meta: { referentialEqualities: refs } }),
    );
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/shared references expanded/);
    await expectHealthy();
  });

  it('row 1: meta naming a Set, a class or a bad path is a 400 without superjson text', async () => {
    for (const meta of [
      { values: { experimentId: ['set'] } },
      { values: [['class', 'Foo']] },
      { referentialEqualities: { experimentId: ['__proto__.polluted'] } },
      { values: { experimentId: [['custom', 'nope']] } },
    ]) {
      const answer = await trpc('session.create', JSON.stringify({ json: { experimentId: 'meta' }, meta }));
      expect(answer.status, JSON.stringify(meta)).toBe(400);
      expect(answer.message).toMatch(/^The input/);
    }
  });
});

describe('row 2: prototype-named keys are refused before anything is stored', () => {
  it.each(['constructor', 'prototype', '__proto__'])(
    'row 2: a config key named %s is a 422 at REST and nothing is stored',
    async (key) => {
      const id = `proto-${key}`;
      const res = await call(
        server.url,
        'POST',
        `${LOGS}/session`,
        `{"experiment_id":"${id}","config":{"nested":{"${key}":{}}}}`,
      );
      expect(res.status).toBe(422);
      expect(res.json.details).toEqual([expect.objectContaining({ loc: ['body', 'config', 'nested', key] })]);
      expect((await call(server.url, 'GET', `${LOGS}/${id}/info`)).status).toBe(404);
    },
  );

  it('row 2: a metric named constructor is a 422 at REST and tRPC, and every read still answers', async () => {
    await call(server.url, 'POST', `${LOGS}/session`, { experiment_id: 'proto-metric' });
    const rest = await call(server.url, 'POST', `${LOGS}/proto-metric/metrics`, { epoch: 1, metrics: { constructor: 1 } });
    expect(rest.status).toBe(422);
    expect(rest.json.details).toEqual([expect.objectContaining({ loc: ['body', 'metrics', 'constructor'] })]);
    const viaTrpc = await trpc(
      'metric.append',
      JSON.stringify({ json: { experimentId: 'proto-metric', epoch: 1, values: { prototype: 1 } } }),
    );
    expect(viaTrpc.status).toBe(400);
    expect(viaTrpc.issues).toEqual([expect.objectContaining({ path: ['values', 'prototype'] })]);
    const viaConfig = await trpc(
      'session.create',
      JSON.stringify({ json: { experimentId: 'proto-metric', config: { constructor: {} } } }),
    );
    expect(viaConfig.status).toBe(400);

    expect((await trpc('session.list', '{"json":{}}', 'query')).status).toBe(200);
    expect((await trpc('session.get', '{"json":{"experimentId":"proto-metric"}}', 'query')).status).toBe(200);
    expect((await trpc('metric.list', '{"json":{"experimentId":"proto-metric"}}', 'query')).status).toBe(200);
    expect((await call(server.url, 'GET', `${LOGS}/proto-metric/metrics`)).json).toMatchObject({ count: 0 });
  });
});

describe('row 10: search is a substring, not a pattern', () => {
  it('row 10: session.list search treats % and _ as themselves', async () => {
    for (const id of ['plain-run', 'under_score', '100%done']) {
      await call(server.url, 'POST', `${LOGS}/session`, { experiment_id: id });
    }
    const found = async (search: string) => {
      const answer = await trpc('session.list', JSON.stringify({ json: { search } }), 'query');
      return (answer.data as { items: { experimentId: string }[] }).items.map((s) => s.experimentId);
    };
    expect(await found('_')).toEqual(['under_score']);
    expect(await found('%')).toEqual(['100%done']);
    expect(await found('run')).toEqual(['plain-run']);
  });

  it('row 10: the log search treats % and _ and \\ as themselves', async () => {
    for (const message of ['loss 5%', 'file_name', 'C:\\data', 'nothing special']) {
      await call(server.url, 'POST', `${LOGS}/plain-run/log`, { message });
    }
    const found = async (search: string) => {
      const answer = await trpc('log.list', JSON.stringify({ json: { experimentId: 'plain-run', search } }), 'query');
      return (answer.data as { items: { message: string }[] }).items.map((l) => l.message);
    };
    expect(await found('%')).toEqual(['loss 5%']);
    expect(await found('_')).toEqual(['file_name']);
    expect(await found('\\')).toEqual(['C:\\data']);
  });
});

describe('row 11: samples from the future', () => {
  it('row 11: a sample dated in 2036 is a 400 naming its timestamp, and a real one still becomes the latest', async () => {
    const sample = (timestamp: string) => ({
      timestamp,
      host: 'future-host',
      cpu: { cpu_util: 1, cpu_count: 1, cpu_freq_current: 1, cpu_freq_max: 1 },
      memory: { ram_used: 1, ram_total: 2, ram_percent: 50, ram_available: 1 },
      disk: { disk_used: 1, disk_total: 2, disk_percent: 50 },
      gpu: [],
      network: { bytes_sent: 0, bytes_recv: 0, packets_sent: 0, packets_recv: 0 },
    });
    const future = await trpc('system.report', JSON.stringify({ json: { samples: [sample('2036-01-01T00:00:00.000Z')] } }));
    expect(future.status).toBe(400);
    expect(future.issues).toEqual([
      { path: ['samples', 0, 'timestamp'], message: 'must not be more than 5 minutes in the future' },
    ]);
    const now = new Date().toISOString();
    expect((await trpc('system.report', JSON.stringify({ json: { samples: [sample(now)] } }))).status).toBe(200);
    const hosts = await trpc('system.hosts', '{"json":null}', 'query');
    // Stored to the second.
    expect(hosts.data).toEqual([
      expect.objectContaining({
        host: 'future-host',
        latest: expect.objectContaining({ timestamp: `${now.slice(0, 19)}.000Z` }),
      }),
    ]);
  });
});

describe('row 12: ids every door can address', () => {
  const BAD = ['line\nbreak', 'tab\there', 'rtl\u202eoverride', 'zero\u200bwidth', '   ', '.', '..', 'sessions'];

  it.each(BAD.map((id) => [JSON.stringify(id), id]))(
    'row 12: the id %s is a 422 at REST and a 400 at tRPC',
    async (_name, id) => {
      const rest = await call(server.url, 'POST', `${LOGS}/session`, { experiment_id: id });
      expect(rest.status).toBe(422);
      expect(rest.json.details).toEqual([expect.objectContaining({ loc: ['body', 'experiment_id'] })]);
      const viaTrpc = await trpc('session.create', JSON.stringify({ json: { experimentId: id } }));
      expect(viaTrpc.status).toBe(400);
      expect(viaTrpc.issues).toEqual([expect.objectContaining({ path: ['experimentId'] })]);
    },
  );

  it('row 12: ids with spaces inside, dots and unicode letters still work', async () => {
    for (const id of ['my run 1', 'v1.2', '实验-一']) {
      expect((await call(server.url, 'POST', `${LOGS}/session`, { experiment_id: id })).status).toBe(200);
      expect((await call(server.url, 'GET', `${LOGS}/${encodeURIComponent(id)}/info`)).status).toBe(200);
    }
  });
});

describe('row 13: error messages without internals', () => {
  const INTERNALS = /Maximum call stack|superjson|prototype pollution|"code":|"path":\[|Unexpected token|at position/;

  it('row 13: a deep, a malformed and an invalid tRPC input each get a short message, details apart', async () => {
    const deep = await trpc('session.create', `{"json":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    const malformed = await trpc('session.create', '{"json":{"experimentId":');
    const invalid = await trpc('session.create', '{"json":{"experimentId":"","totalEpochs":-1}}');
    for (const answer of [deep, malformed, invalid]) {
      expect(answer.status).toBe(400);
      expect(answer.message).not.toMatch(INTERNALS);
      expect(answer.message.length).toBeLessThan(200);
    }
    expect(deep.message).toBe('The input must nest at most 200 levels');
    expect(malformed.message).toBe('The request is not valid JSON');
    expect(invalid.message).toBe('Invalid input at experimentId: must not be empty (and 1 more)');
    expect(invalid.issues?.map((i) => i.path)).toEqual([['experimentId'], ['totalEpochs']]);
  });
});
