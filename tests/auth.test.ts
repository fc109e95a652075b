import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApp } from '../src/server/app';
import { StartupError } from '../src/lib/startupError';
import { silentLogger } from '../src/lib/logger';
import { createTestDatabase } from './helpers/database';
import { setupTestServer } from './helpers/fixtures';
import { httpClient, startTestServer, wsClient } from './helpers/server';

const app = setupTestServer({ rateLimit: { perSecond: 1000, burst: 1000 } });
let admin: string;
let writer: string;
let reader: string;

beforeAll(async () => {
  // Open until the first key exists.
  const open = await fetch(`${app.url}/api/v1/training/logs/sessions`);
  expect(open.status).toBe(200);
  admin = (await app.services.apiKeys.create('admin', 'admin')).key;
  writer = (await app.services.apiKeys.create('trainer-1', 'write')).key;
  reader = (await app.services.apiKeys.create('dashboard', 'read')).key;
});

const rest = (path: string, init: RequestInit & { key?: string } = {}) =>
  fetch(`${app.url}/api/v1/training/logs${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...init.headers,
    },
  });

async function trpcCode(call: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await call();
    return 'OK';
  } catch (error) {
    return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : 'unknown';
  }
}

describe('with keys configured', () => {
  it('REST: no key is 401, a key without the scope 403, the right key passes', async () => {
    const noKey = await rest('/session', { method: 'POST', body: JSON.stringify({ experiment_id: 'guarded' }) });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: true, status_code: 401, path: '/api/v1/training/logs/session' });

    const asReader = await rest('/session', { method: 'POST', key: reader, body: JSON.stringify({ experiment_id: 'guarded' }) });
    expect(asReader.status).toBe(403);

    const asWriter = await rest('/session', { method: 'POST', key: writer, body: JSON.stringify({ experiment_id: 'guarded' }) });
    expect(asWriter.status).toBe(200);
    const viaHeader = await rest('/guarded/log', {
      method: 'POST',
      headers: { 'x-api-key': writer },
      body: JSON.stringify({ message: 'hello' }),
    });
    expect(viaHeader.status).toBe(200);

    expect((await rest('/guarded', { key: reader })).status).toBe(200);
    expect((await rest('/guarded', { method: 'DELETE', key: writer })).status).toBe(403);
    expect((await rest('/guarded', { method: 'DELETE', key: admin })).status).toBe(200);
  });

  it('tRPC over HTTP: scopes by kind, deletion for admins only', async () => {
    expect(await trpcCode(() => httpClient(app).session.list.query({}))).toBe('UNAUTHORIZED');
    expect(await trpcCode(() => httpClient(app, { authorization: `Bearer wrong` }).session.list.query({}))).toBe('UNAUTHORIZED');
    const asReader = httpClient(app, { authorization: `Bearer ${reader}` });
    const asWriter = httpClient(app, { 'x-api-key': writer });
    expect(await trpcCode(() => asReader.session.list.query({}))).toBe('OK');
    expect(await trpcCode(() => asReader.session.create.mutate({ experimentId: 'by-reader' }))).toBe('FORBIDDEN');
    expect(await trpcCode(() => asWriter.session.create.mutate({ experimentId: 'by-writer' }))).toBe('OK');
    expect(await trpcCode(() => asWriter.session.delete.mutate({ experimentId: 'by-writer' }))).toBe('FORBIDDEN');
    expect(await trpcCode(() => asWriter.apiKey.list.query())).toBe('FORBIDDEN');
    const asAdmin = httpClient(app, { authorization: `Bearer ${admin}` });
    expect((await asAdmin.apiKey.list.query()).map((k) => k.name)).toEqual(['admin', 'trainer-1', 'dashboard']);
    expect(await trpcCode(() => asAdmin.session.delete.mutate({ experimentId: 'by-writer' }))).toBe('OK');
  });

  it('tRPC over WebSocket: the key travels in the connection params', async () => {
    const denied = wsClient(app.url);
    expect(await trpcCode(() => denied.client.session.list.query({}))).toBe('UNAUTHORIZED');
    denied.socket.close();
    const allowed = wsClient(app.url, { apiKey: reader });
    expect(await trpcCode(() => allowed.client.session.list.query({}))).toBe('OK');
    allowed.socket.close();
  });

  it('plain sockets need a read key, and every upgrade from another site is refused', async () => {
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => {});
      });
    const base = app.url.replace('http', 'ws');
    expect(await status(`${base}/api/v1/ws/training/x`)).toBe(401);
    expect(await status(`${base}/api/v1/ws/training/x?api_key=${reader}`)).toBe(101);
    expect(await status(`${base}/api/v1/ws/system`, { authorization: `Bearer ${reader}` })).toBe(101);
    expect(await status(`${base}/api/v1/ws/system?api_key=${reader}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await status(`${base}/api/trpc-ws`, { origin: 'https://evil.example' })).toBe(403);
    expect(await status(`${base}/api/trpc-ws`, { origin: app.url })).toBe(101);
  });

  it('a browser signs in once and keeps an httpOnly SameSite cookie; cross-site mutations are refused', async () => {
    const signIn = await fetch(`${app.url}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ json: { key: writer } }),
    });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cvsm_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(writer);
    const cookie = setCookie.split(';')[0]!;

    const list = await fetch(`${app.url}/api/trpc/session.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
      headers: { cookie },
    });
    expect(list.status).toBe(200);
    const create = (origin: string) =>
      fetch(`${app.url}/api/trpc/session.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin },
        body: JSON.stringify({ json: { experimentId: 'from-browser' } }),
      });
    expect((await create('https://evil.example')).status).toBe(403);
    expect((await create(app.url)).status).toBe(200);
    const restCross = await rest('/session', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ experiment_id: 'x' }),
    });
    expect(restCross.status).toBe(403);

    const wrong = await fetch(`${app.url}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { key: 'cvsm_nope' } }),
    });
    expect(wrong.status).toBe(401);
  });

  it('a revoked key stops working at once', async () => {
    const { key } = await app.services.apiKeys.create('temporary', 'read');
    expect((await rest('/sessions', { key })).status).toBe(200);
    await app.services.apiKeys.revoke('temporary');
    expect((await rest('/sessions', { key })).status).toBe(401);
  });
});

describe('every answer', () => {
  it('carries standard security headers and no stack trace', async () => {
    for (const path of ['/health', '/api/v1/training/logs/sessions', '/api/trpc/session.list', '/no-such-page']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(await res.text(), path).not.toMatch(/\bat .+\.ts:\d+/);
    }
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After once a key passes its rate', async () => {
    const limited = await startTestServer(app.db.url, 0, { rateLimit: { perSecond: 1, burst: 2 } });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push(await fetch(`${limited.url}/api/v1/training/logs/sessions`, { headers: { 'x-api-key': reader } }));
      expect(codes.map((r) => r.status)).toEqual([200, 200, 429]);
      expect(codes[2]!.headers.get('retry-after')).toBe('1');
      const trpc = await fetch(`${limited.url}/api/trpc/session.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
        headers: { 'x-api-key': reader },
      });
      expect(trpc.status).toBe(429);
      expect(trpc.headers.get('retry-after')).toBe('1');
    } finally {
      await limited.close();
    }
  });
});

describe('safe default', () => {
  it('refuses to listen beyond loopback while no key exists, and says what to do', async () => {
    const empty = await createTestDatabase();
    try {
      const start = startApp({
        port: 0,
        host: '0.0.0.0',
        databaseUrl: empty.url,
        dataDir: '.data/test',
        bodyLimitBytes: 1024,
        log: silentLogger,
      });
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow(/npm run keys -- create/);
    } finally {
      await empty.drop();
    }
  });
});

describe('the SDK with a wrong key', () => {
  it('fails to start the run with the server saying why, instead of retrying forever', async () => {
    const { createMonitor } = await import('../src/sdk');
    const monitor = createMonitor({ url: app.url, apiKey: 'cvsm_wrong' });
    await expect(monitor.startRun({ experimentId: 'sdk-wrong-key' })).rejects.toThrow(
      /API key is required|Unknown|UNAUTHORIZED|401/i,
    );
    const asReader = createMonitor({ url: app.url, apiKey: reader });
    await expect(asReader.startRun({ experimentId: 'sdk-read-key' })).rejects.toThrow(/scope/);
  });
});
