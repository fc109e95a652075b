/**
 * The REST shim's error answers (unknown paths, malformed JSON, bodies over the limit, internal
 * faults logged with a request id), /health and the OpenAPI document.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../src/lib/logger';
import { setupTestServer } from './helpers/fixtures';
import { call, LOGS, trainingLogs } from './helpers/plain';

const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
const recordingLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (msg, fields) => logged.push({ msg, fields }),
  child: () => recordingLogger,
};
const BODY_LIMIT = 64 * 1024;
const app = setupTestServer({ bodyLimitBytes: BODY_LIMIT, log: recordingLogger });

const api = trainingLogs(app);

describe('errors', () => {
  it('answers an unknown path 404 and a wrong method 405 in the error shape', async () => {
    const res = await call(app.url, 'GET', '/api/v1/nothing/here');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: true, message: 'Not Found', status_code: 404, path: '/api/v1/nothing/here' });
    const wrong = await api('PATCH', '/session');
    expect(wrong.status).toBe(405);
    expect(wrong.json).toMatchObject({ error: true, status_code: 405, path: `${LOGS}/session` });
  });

  it('answers malformed JSON 400 (fix: never 500)', async () => {
    for (const body of ['{"experiment_id": ', 'not json', '{"a": NaNa}']) {
      const res = await api('POST', '/session', body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: true, status_code: 400, path: `${LOGS}/session` });
    }
  });

  it('answers 413 to a declared body over the limit without reading it', async () => {
    const res = await api('POST', '/session', JSON.stringify({ experiment_id: 'big', config: { blob: 'x'.repeat(BODY_LIMIT) } }));
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: true, status_code: 413, path: `${LOGS}/session` });
  });

  it('answers 413 to a chunked body once it passes the limit, before it ends', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${app.url}${LOGS}/session`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Chunks until the answer comes; the request body is never ended.
      const chunk = 'x'.repeat(16 * 1024);
      req.write('{"experiment_id": "chunked", "config": {"blob": "');
      const pump = () => {
        if (req.destroyed) return;
        if (req.write(chunk)) setImmediate(pump);
        else req.once('drain', pump);
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: true, status_code: 413 });
  });

  it('answers an internal fault 500 with a request id, logged, without a stack trace', async () => {
    const sessions = app.services.sessions;
    const original = sessions.get.bind(sessions);
    sessions.get = () => Promise.reject(new Error('database exploded'));
    try {
      const res = await api('GET', '/test_exp_123/info');
      expect(res.status).toBe(500);
      const requestId = res.json.request_id as string;
      expect(res.json).toEqual({
        error: true,
        message: expect.stringContaining(requestId),
        status_code: 500,
        path: `${LOGS}/test_exp_123/info`,
        request_id: requestId,
      });
      expect(res.headers.get('x-request-id')).toBe(requestId);
      expect(res.text).not.toContain('exploded');
      expect(res.text).not.toContain('.ts:');
      expect(logged).toContainEqual({ msg: expect.any(String), fields: expect.objectContaining({ requestId }) });
    } finally {
      sessions.get = original;
    }
  });
});

describe('/health and the OpenAPI document', () => {
  it('answers /health 200 with status ok', async () => {
    const res = await call(app.url, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document of every endpoint, generated from the schemas', async () => {
    const res = await call(app.url, 'GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        `${LOGS}/session`,
        `${LOGS}/sessions`,
        `${LOGS}/{experiment_id}`,
        `${LOGS}/{experiment_id}/batch`,
        `${LOGS}/{experiment_id}/control`,
        `${LOGS}/{experiment_id}/info`,
        `${LOGS}/{experiment_id}/log`,
        `${LOGS}/{experiment_id}/metrics`,
        `${LOGS}/{experiment_id}/status`,
        '/api/v1/openapi.json',
        '/api/v1/ws/stats',
      ].sort(),
    );
    expect(Object.keys(doc.paths[`${LOGS}/{experiment_id}`]!).sort()).toEqual(['delete', 'get']);
    const create = doc.paths[`${LOGS}/session`]!.post!.requestBody!.content['application/json']!.schema;
    expect(create).toMatchObject({ required: ['experiment_id'], properties: { experiment_id: { maxLength: 128 } } });
    const metrics = doc.paths[`${LOGS}/{experiment_id}/metrics`]!.post!.requestBody!.content['application/json']!.schema;
    expect(metrics).toMatchObject({ properties: { metrics: { additionalProperties: { type: 'number' } } } });
  });
});
