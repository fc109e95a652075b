/**
 * Hardening of the app with keys, tried as an attacker would: a revoked key still holding
 * sockets (on this instance and another), an app off loopback whose keys were all revoked,
 * key guessing, secrets in cacheable answers.
 */
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { AppRouter } from '../src/server/api/root';
import { TRPC_WS_PATH } from '../src/server/app';
import { createTestDatabase } from './helpers/database';
import { setupTestServer } from './helpers/fixtures';
import { request } from './helpers/rawHttp';
import { httpClient, startTestServer } from './helpers/server';
import { freePort } from './kit/freePort';
import { serverProcess, type ServerProcess } from './kit/serverProcess';

const app = setupTestServer({ failedAuthLimit: { perSecond: 0.01, burst: 5 } });
let other: ServerProcess;
let admin: string;

beforeAll(async () => {
  admin = (await app.services.apiKeys.create('admin', 'admin')).key;
  // A second instance on the same database, as its own process.
  other = serverProcess(app.db.url, await freePort());
  await other.start();
});

afterAll(async () => {
  await other?.stop();
});

const asAdmin = () => httpClient(app, { authorization: `Bearer ${admin}` });

/** Resolves with the close code and reason once `ws` closes. */
const closeOf = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );

async function openPlain(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve()); // connection_established
    ws.once('error', reject);
  });
  return ws;
}

/** A tRPC socket client with a key, keeping its WebSocket so the test can see how it closes. */
function trpcSocket(url: string, apiKey: string) {
  const sockets: WebSocket[] = [];
  class Recorded extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      sockets.push(this);
    }
  }
  const socket = createWSClient({
    url: `${url.replace(/^http/, 'ws')}${TRPC_WS_PATH}`,
    connectionParams: () => ({ apiKey }),
    retryDelayMs: () => 60_000,
    WebSocket: Recorded as unknown as typeof globalThis.WebSocket,
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] });
  return { client, socket, sockets };
}

async function trpcCode(call: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await call();
    return 'OK';
  } catch (error) {
    return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : String(error);
  }
}

describe('revocation', () => {
  it('row 4: revoking a key closes its sockets on every instance (4001 "api key revoked"); it runs nothing more', async () => {
    const { key } = await asAdmin().apiKey.create.mutate({ name: 'leaked-admin', scope: 'admin' });
    const plainHere = await openPlain(`${app.url.replace(/^http/, 'ws')}/api/v1/ws/system?client_id=a&api_key=${key}`);
    const plainThere = await openPlain(`${other.url.replace(/^http/, 'ws')}/api/v1/ws/training/x?client_id=b&api_key=${key}`);
    const trpcHere = trpcSocket(app.url, key);
    const trpcThere = trpcSocket(other.url, key);
    expect(await trpcCode(() => trpcHere.client.apiKey.list.query())).toBe('OK');
    expect(await trpcCode(() => trpcThere.client.apiKey.list.query())).toBe('OK');
    const closed = [closeOf(plainHere), closeOf(plainThere), closeOf(trpcHere.sockets[0]!), closeOf(trpcThere.sockets[0]!)];

    await asAdmin().apiKey.revoke.mutate({ name: 'leaked-admin' });
    // The revoked key cannot mint a new admin key on a socket it opened, even before the close arrives.
    expect(await trpcCode(() => trpcThere.client.apiKey.create.mutate({ name: 'minted', scope: 'admin' }))).not.toBe('OK');
    for (const close of await Promise.all(closed)) expect(close).toEqual({ code: 4001, reason: 'api key revoked' });
    expect((await asAdmin().apiKey.list.query()).map((k) => k.name)).not.toContain('minted');
    trpcHere.socket.close();
    trpcThere.socket.close();
  });

  it('row 4: a key revoked with the keys CLI closes the sockets of running servers too', async () => {
    const { key } = await asAdmin().apiKey.create.mutate({ name: 'cli-revoked', scope: 'read' });
    const plain = await openPlain(`${other.url.replace(/^http/, 'ws')}/api/v1/ws/system?api_key=${key}`);
    const closed = closeOf(plain);
    const { execFile } = await import('node:child_process');
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'scripts/keys.ts', 'revoke', '--name', 'cli-revoked'],
        { env: { ...process.env, DATABASE_URL: app.db.url } },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
    expect(await closed).toEqual({ code: 4001, reason: 'api key revoked' });
  });
});

describe('open mode', () => {
  it('row 5: open mode is decided by the bound address: ::ffff:127.0.0.1 is loopback; revoking every key never reopens', async () => {
    const empty = await createTestDatabase();
    const mapped = await startTestServer(empty.url, 0, { host: '::ffff:127.0.0.1' });
    try {
      const open = await request(`${mapped.url}/api/v1/training/logs/sessions`);
      expect(open.status).toBe(200);
      await mapped.services.apiKeys.create('only', 'admin');
      await mapped.services.apiKeys.revoke('only');
      const afterRevoke = await request(`${mapped.url}/api/v1/training/logs/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ experiment_id: 'sneaky' }),
      });
      expect(afterRevoke.status).toBe(401);
      await mapped.services.apiKeys.create('last', 'admin');
    } finally {
      await mapped.close();
    }

    // Off loopback with one key: revoking it leaves every keyless request refused.
    const exposed = await startTestServer(empty.url, 0, { host: '0.0.0.0' });
    try {
      await exposed.services.apiKeys.revoke('last');
      const post = await request(`http://127.0.0.1:${exposed.port}/api/v1/training/logs/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ experiment_id: 'sneaky' }),
      });
      expect(post.status).toBe(401);
      expect(await exposed.services.sessions.get('sneaky').catch(() => null)).toBeNull();
    } finally {
      await exposed.close();
      await empty.drop();
    }
  });
});

describe('secrets', () => {
  it('row 15: answers carrying a secret are no-store', async () => {
    const created = await request(`${app.url}/api/trpc/apiKey.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ json: { name: 'fresh', scope: 'read' } }),
    });
    expect(created.status).toBe(200);
    expect(created.body).toContain('cvsm_');
    expect(created.headers['cache-control']).toBe('no-store');
    const key = JSON.parse(created.body).result.data.json.key as string;
    const signIn = await request(`${app.url}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ json: { key } }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers['cache-control']).toBe('no-store');
  });
});

describe('limits', () => {
  // Last in this file: it uses up this address's allowance of failures.
  it('row 14: failed authentication is limited per address, and a limited address costs no key lookups', async () => {
    const verify = vi.spyOn(app.services.apiKeys, 'verify');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await request(`${app.url}/api/v1/training/logs/sessions`, { headers: { 'x-api-key': `cvsm_guess${i}` } });
      statuses.push(answer.status);
      if (answer.status === 429) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(verify).toHaveBeenCalledTimes(5);
    // No key at all is limited as well, and so is the tRPC door.
    expect((await request(`${app.url}/api/v1/training/logs/sessions`)).status).toBe(429);
    expect((await request(`${app.url}/api/trpc/session.list`, { headers: { 'x-api-key': 'cvsm_more' } })).status).toBe(429);
    expect(verify).toHaveBeenCalledTimes(5);
    verify.mockRestore();
    // A key this server already knows good still works from there.
    expect((await request(`${app.url}/api/v1/training/logs/sessions`, { headers: { 'x-api-key': admin } })).status).toBe(200);
  });
});
