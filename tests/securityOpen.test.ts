/**
 * Hardening of the app running open (no key, bound to loopback), tried as a hostile web
 * page would: a DNS-rebinding name, a page of another site, odd request targets. The real
 * server runs as its own process; every request goes over a real socket.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { setupServerProcess } from './helpers/fixtures';
import { rawStatus, request, upgradeStatus } from './helpers/rawHttp';

const server = setupServerProcess({ env: { ALLOWED_HOSTS: 'monitor.lan' } });
let base: string;
let ws: string;

beforeAll(() => {
  base = server.url;
  ws = base.replace(/^http/, 'ws');
});

const json = { 'content-type': 'application/json' };
const createRun = (id: string, headers: Record<string, string> = {}) =>
  request(`${base}/api/v1/training/logs/session`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify({ experiment_id: id }),
  });
const runExists = async (id: string) => (await request(`${base}/api/v1/training/logs/${id}/info`)).status === 200;

describe('open mode on loopback', () => {
  it('row 6: DNS rebinding: a foreign Host is refused on every door', async () => {
    const evil = { host: `rebind.evil.example:${server.port}`, origin: `http://rebind.evil.example:${server.port}` };
    const keyCreate = await request(`${base}/api/trpc/apiKey.create`, {
      method: 'POST',
      headers: { ...json, ...evil },
      body: JSON.stringify({ json: { name: 'attacker', scope: 'admin' } }),
    });
    expect(keyCreate.status).toBe(421);
    expect(keyCreate.body).not.toContain('cvsm_');
    expect((await createRun('rebound', evil)).status).toBe(421);
    expect((await createRun('rebound', { host: evil.host })).status).toBe(421);
    expect((await request(`${base}/api/v1/training/logs/sessions`, { headers: { host: evil.host } })).status).toBe(421);
    expect((await request(`${base}/api/trpc/session.list`, { headers: { host: evil.host } })).status).toBe(421);
    expect((await request(`${base}/health`, { headers: { host: evil.host } })).status).toBe(421);
    for (const path of ['/api/trpc-ws', '/api/v1/ws/system', '/api/v1/ws/training/x?client_id=a']) {
      expect(await upgradeStatus(`${ws}${path}`, evil), path).toBe(421);
      expect(await upgradeStatus(`${ws}${path}`, { host: evil.host }), path).toBe(421);
    }
    expect(await runExists('rebound')).toBe(false);

    // The owner's own names still work, on any port, and so do the ALLOWED_HOSTS.
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, '[::1]:9', 'app.localhost', 'monitor.lan:8000']) {
      expect((await request(`${base}/api/v1/training/logs/sessions`, { headers: { host } })).status, host).toBe(200);
    }
    expect(await upgradeStatus(`${ws}/api/v1/ws/system`, { host: `localhost:${server.port}` })).toBe(101);
    // Keys were never created behind the owner's back: the app still runs open.
    expect((await createRun('still-open')).status).toBe(200);
  });

  it('row 7: CSRF: a page of another site cannot write, and REST takes JSON bodies only', async () => {
    const forged = JSON.stringify({ experiment_id: 'forged' });
    const noCors = await request(`${base}/api/v1/training/logs/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example' },
      body: forged,
    });
    expect(noCors.status).toBe(403);
    expect(JSON.parse(noCors.body)).toMatchObject({ error: true, status_code: 403 });
    expect((await createRun('forged', { origin: 'https://evil.example' })).status).toBe(403);
    const trpc = await request(`${base}/api/trpc/session.create`, {
      method: 'POST',
      headers: { ...json, origin: 'https://evil.example' },
      body: JSON.stringify({ json: { experimentId: 'forged' } }),
    });
    expect(trpc.status).toBe(403);
    // Without an Origin (not a browser page) the body must still be JSON.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await request(`${base}/api/v1/training/logs/session`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: forged,
      });
      expect(answer.status, type).toBe(415);
      expect(JSON.parse(answer.body).message).toMatch(/application\/json/);
    }
    expect(await runExists('forged')).toBe(false);
    // What curl and Python requests send is taken.
    expect((await createRun('curl-run', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('row 16: CORS: a page on another loopback port may call the API; preflights are answered', async () => {
    const page = 'http://localhost:3000';
    const preflight = await request(`${base}/api/v1/training/logs/session`, {
      method: 'OPTIONS',
      headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(page);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/PUT/);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/DELETE/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-API-Key/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Content-Type/);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(preflight.headers.vary).toMatch(/Origin/);

    const created = await createRun('from-dev-server', { origin: page });
    expect(created.status).toBe(200);
    expect(created.headers['access-control-allow-origin']).toBe(page);
    expect(created.headers['access-control-allow-credentials']).toBeUndefined();
    expect(created.headers.vary).toMatch(/Origin/);
    for (const path of ['/api/v1/ws/system?client_id=dev', '/api/v1/ws/training/from-dev-server?client_id=dev', '/api/trpc-ws']) {
      expect(await upgradeStatus(`${ws}${path}`, { origin: page }), path).toBe(101);
      expect(await upgradeStatus(`${ws}${path}`, { origin: 'http://127.0.0.1:5173' }), path).toBe(101);
    }

    // Another site gets no CORS answer and no socket.
    const foreign = await request(`${base}/api/v1/training/logs/session`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const read = await request(`${base}/api/v1/training/logs/sessions`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    expect(await upgradeStatus(`${ws}/api/v1/ws/system`, { origin: 'https://evil.example' })).toBe(403);
  });

  it('row 13: OPTIONS * answers a clean 204, and an absolute-form target is never sent to a foreign host', async () => {
    const star = await rawStatus(server.port, 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(star.status).toBe(204);
    expect(star.head).toMatch(/allow: GET, HEAD, POST, PUT, DELETE, OPTIONS/i);
    expect((await rawStatus(server.port, 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n')).status).toBe(421);
    expect((await rawStatus(server.port, 'GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).status).toBe(400);

    const absolute = await rawStatus(server.port, 'GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(absolute.status).toBe(421);
    expect(absolute.head).not.toMatch(/location:/i);
    const own = await rawStatus(
      server.port,
      `GET http://127.0.0.1:${server.port}/api/v1/training/logs/sessions HTTP/1.1\r\nHost: evil.example\r\n\r\n`,
    );
    expect(own.status).toBe(200);
  });

  it('row 15: every API answer carries a CSP with script-src', async () => {
    for (const path of ['/health', '/api/v1/training/logs/sessions', '/api/trpc/session.list', '/nope']) {
      const answer = await request(`${base}${path}`);
      expect(answer.headers['content-security-policy'], path).toMatch(/script-src 'none'/);
    }
  });
});
