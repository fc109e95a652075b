import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../src/lib/logger';
import { setupTestServer } from './helpers/fixtures';
import { call, ISO_Z } from './helpers/plain';

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

const LOGS = '/api/v1/training/logs';
const api = (method: string, path: string, body?: unknown) => call(app.url, method, `${LOGS}${path}`, body);

describe('POST /session', () => {
  it('creates a session and answers its info in snake_case with Z timestamps', async () => {
    const res = await api('POST', '/session', { experiment_id: 'test_exp_123', config: { lr: 0.01 }, total_epochs: 100 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true,
      message: expect.any(String),
      data: {
        experiment_id: 'test_exp_123',
        status: 'queued',
        config: { lr: 0.01 },
        created_at: expect.stringMatching(ISO_Z),
        started_at: null,
        ended_at: null,
        current_epoch: 0,
        total_epochs: 100,
        log_count: 0,
        metrics_count: 0,
        created: true,
      },
    });
  });

  it('defaults config to {} and total_epochs to 0', async () => {
    const res = await api('POST', '/session', { experiment_id: 'defaults-1' });
    expect(res.json.data).toMatchObject({ config: {}, total_epochs: 0, created: true });
  });

  it('returns an existing session as it is, updating only what is given (fix: never wiped)', async () => {
    await api('POST', '/session', { experiment_id: 'keep-1', config: { a: 1 }, total_epochs: 10 });
    await api('POST', '/keep-1/log', { message: 'first line' });
    await api('PUT', '/keep-1/status', { status: 'running' });

    const again = await api('POST', '/session', { experiment_id: 'keep-1', config: { a: 2 } });
    expect(again.status).toBe(200);
    expect(again.json.data).toMatchObject({
      created: false,
      status: 'running',
      config: { a: 2 },
      total_epochs: 10,
      log_count: 1,
    });
    const logs = await api('GET', '/keep-1');
    expect(logs.json).toMatchObject({ count: 1, data: [{ message: 'first line' }] });
  });

  it('names every bad field in one 422', async () => {
    const res = await api('POST', '/session', { experiment_id: '', total_epochs: -1, config: 'x' });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: true, status_code: 422, path: `${LOGS}/session`, message: expect.any(String) });
    const locs = (res.json.details as { loc: unknown[]; msg: string; type: string }[]).map((d) => d.loc);
    expect(locs).toEqual(
      expect.arrayContaining([
        ['body', 'experiment_id'],
        ['body', 'total_epochs'],
        ['body', 'config'],
      ]),
    );
    expect(locs).toHaveLength(3);
  });

  it('answers a missing field as FastAPI does', async () => {
    const res = await api('POST', '/session', {});
    expect(res.status).toBe(422);
    expect(res.json.details).toEqual([{ loc: ['body', 'experiment_id'], msg: 'Field required', type: 'missing' }]);
  });

  it('rejects an experiment id over 128 characters', async () => {
    const res = await api('POST', '/session', { experiment_id: 'x'.repeat(129) });
    expect(res.status).toBe(422);
    expect(res.json.details).toMatchObject([{ loc: ['body', 'experiment_id'] }]);
  });
});

describe('PUT /{id}/status', () => {
  it('sets started_at on running, ended_at on a terminal status, and clears it on leaving one', async () => {
    await api('POST', '/session', { experiment_id: 'status-1' });
    const running = await api('PUT', '/status-1/status', { status: 'RUNNING', message: 'go' });
    expect(running.status).toBe(200);
    expect(running.json).toMatchObject({ success: true, message: expect.any(String) });
    expect(running.json.data).toMatchObject({ status: 'running', started_at: expect.stringMatching(ISO_Z), ended_at: null });

    const done = await api('PUT', '/status-1/status', { status: 'Completed' });
    expect(done.json.data).toMatchObject({ status: 'completed', ended_at: expect.stringMatching(ISO_Z) });

    const resumed = await api('PUT', '/status-1/status', { status: 'running' });
    expect(resumed.json.data).toMatchObject({
      status: 'running',
      ended_at: null,
      started_at: (running.json.data as { started_at: string }).started_at,
    });
  });

  it('answers 404 for an unknown id (fix: was 500) and 422 for an unknown status', async () => {
    const missing = await api('PUT', '/nope/status', { status: 'running' });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: true, message: expect.any(String), status_code: 404, path: `${LOGS}/nope/status` });

    const bad = await api('PUT', '/status-1/status', { status: 'sleeping' });
    expect(bad.status).toBe(422);
    expect(bad.json.details).toMatchObject([{ loc: ['body', 'status'] }]);
  });
});

describe('POST /{id}/log', () => {
  beforeAll(async () => {
    await api('POST', '/session', { experiment_id: 'log-1' });
  });

  it('answers the stored entry, with INFO and trainer by default', async () => {
    const res = await api('POST', '/log-1/log', { message: 'hello' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true,
      message: expect.any(String),
      data: { level: 'INFO', message: 'hello', source: 'trainer', timestamp: expect.stringMatching(ISO_Z), seq: 2 },
    });
  });

  it('reads levels in any case, WARN as WARNING and FATAL as CRITICAL', async () => {
    const levels = [];
    for (const level of ['debug', 'Warn', 'FATAL', 'error', 'warning']) {
      const res = await api('POST', '/log-1/log', { level, message: level, source: 'eval' });
      levels.push((res.json.data as { level: string }).level);
    }
    expect(levels).toEqual(['DEBUG', 'WARNING', 'CRITICAL', 'ERROR', 'WARNING']);
  });

  it('answers 422 for an unknown level (fix: was silently INFO) and a missing message', async () => {
    const res = await api('POST', '/log-1/log', { level: 'VERBOSE' });
    expect(res.status).toBe(422);
    expect(res.json.details).toEqual([
      { loc: ['body', 'level'], msg: expect.any(String), type: expect.any(String) },
      { loc: ['body', 'message'], msg: 'Field required', type: 'missing' },
    ]);
  });

  it('answers 404 for an unknown id (fix: was 200 with data null)', async () => {
    const res = await api('POST', '/nope/log', { message: 'x' });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: true, status_code: 404, path: `${LOGS}/nope/log` });
  });
});

describe('GET /{id} (logs)', () => {
  beforeAll(async () => {
    await api('POST', '/session', { experiment_id: 'read-1' });
    const levels = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'INFO'];
    for (const [i, level] of levels.entries()) await api('POST', '/read-1/log', { level, message: `line ${i + 1}` });
  });

  const messages = (res: { json: Record<string, unknown> }) => (res.json.data as { message: string }[]).map((l) => l.message);

  it('answers the last `limit` entries, oldest first, with a count', async () => {
    const res = await api('GET', '/read-1?level=&limit=3');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, count: 3 });
    expect(messages(res)).toEqual(['line 4', 'line 5', 'line 6']);
    expect((res.json.data as Record<string, unknown>[])[0]).toEqual({
      level: 'ERROR',
      message: 'line 4',
      source: 'trainer',
      timestamp: expect.stringMatching(ISO_Z),
      seq: expect.any(Number),
    });
  });

  it('filters by exact level and by minimum level; limit 0 means all', async () => {
    expect(messages(await api('GET', '/read-1?level=info'))).toEqual(['line 2', 'line 6']);
    expect(messages(await api('GET', '/read-1?min_level=ERROR'))).toEqual(['line 4', 'line 5']);
    expect(messages(await api('GET', '/read-1?limit=0'))).toHaveLength(6);
    expect(messages(await api('GET', '/read-1'))).toHaveLength(6);
  });

  it('names bad query fields in a 422', async () => {
    const res = await api('GET', '/read-1?limit=abc&level=LOUD');
    expect(res.status).toBe(422);
    expect((res.json.details as { loc: unknown[] }[]).map((d) => d.loc)).toEqual([
      ['query', 'level'],
      ['query', 'limit'],
    ]);
    expect((await api('GET', '/read-1?limit=10001')).status).toBe(422);
  });

  it('answers 404 for an unknown id', async () => {
    expect((await api('GET', '/nope')).status).toBe(404);
  });
});

describe('metrics', () => {
  beforeAll(async () => {
    await api('POST', '/session', { experiment_id: 'metrics-1', total_epochs: 3 });
  });

  it('answers each report as {epoch, timestamp, ...metrics} and sets current_epoch', async () => {
    const res = await api('POST', '/metrics-1/metrics', { epoch: 1, metrics: { loss: 0.5, acc: 0.7 } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true,
      message: expect.any(String),
      data: { epoch: 1, timestamp: expect.stringMatching(ISO_Z), loss: 0.5, acc: 0.7 },
    });
    await api('POST', '/metrics-1/metrics', { epoch: 2, step: 200, metrics: { loss: 0.4 } });
    const info = await api('GET', '/metrics-1/info');
    expect(info.json.data).toMatchObject({ current_epoch: 2, metrics_count: 2 });

    const list = await api('GET', '/metrics-1/metrics?limit=100');
    expect(list.json).toEqual({
      success: true,
      count: 2,
      data: [
        { epoch: 1, timestamp: expect.stringMatching(ISO_Z), loss: 0.5, acc: 0.7 },
        { epoch: 2, timestamp: expect.stringMatching(ISO_Z), step: 200, loss: 0.4 },
      ],
    });
    const last = await api('GET', '/metrics-1/metrics?limit=1');
    expect(last.json).toMatchObject({ count: 1, data: [{ epoch: 2 }] });
  });

  it('answers 422 for non-numeric values and missing fields, 404 for an unknown id', async () => {
    const bad = await api('POST', '/metrics-1/metrics', { epoch: 1, metrics: { loss: 'low', acc: 0.5 } });
    expect(bad.status).toBe(422);
    expect(bad.json.details).toMatchObject([{ loc: ['body', 'metrics', 'loss'] }]);

    const empty = await api('POST', '/metrics-1/metrics', {});
    expect((empty.json.details as { loc: unknown[] }[]).map((d) => d.loc)).toEqual([
      ['body', 'epoch'],
      ['body', 'metrics'],
    ]);

    expect((await api('POST', '/nope/metrics', { epoch: 1, metrics: { loss: 1 } })).status).toBe(404);
    expect((await api('GET', '/nope/metrics')).status).toBe(404);
  });

  it('keeps NaN, Infinity and -Infinity, and writes them back as those tokens', async () => {
    const body = '{"epoch": 3, "metrics": {"loss": NaN, "grad_norm": Infinity, "log_lr": -Infinity, "acc": 0.5}}';
    const res = await api('POST', '/metrics-1/metrics', body);
    expect(res.status).toBe(200);
    expect(res.text).toContain('"loss":NaN');
    expect(res.text).toContain('"grad_norm":Infinity');
    expect(res.text).toContain('"log_lr":-Infinity');

    const list = await api('GET', '/metrics-1/metrics?limit=1');
    expect(list.json.data).toEqual([
      { epoch: 3, timestamp: expect.any(String), loss: Number.NaN, grad_norm: Infinity, log_lr: -Infinity, acc: 0.5 },
    ]);
  });

  it('leaves the same words inside strings alone', async () => {
    const res = await api('POST', '/metrics-1/log', '{"message": "loss is NaN, lr -Infinity", "level": "WARN"}');
    expect(res.json.data).toMatchObject({ message: 'loss is NaN, lr -Infinity', level: 'WARNING' });
  });
});

describe('GET /{id}/info, DELETE /{id}, GET /sessions', () => {
  it('deletes a session with everything it stored; a second delete is 404 (fix)', async () => {
    await api('POST', '/session', { experiment_id: 'del-1' });
    await api('POST', '/del-1/log', { message: 'x' });
    const res = await api('DELETE', '/del-1');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, message: expect.any(String) });
    expect((await api('GET', '/del-1/info')).status).toBe(404);
    expect((await api('GET', '/del-1')).status).toBe(404);
    expect((await api('DELETE', '/del-1')).status).toBe(404);

    const again = await api('POST', '/session', { experiment_id: 'del-1' });
    expect(again.json.data).toMatchObject({ created: true, log_count: 0 });
  });

  it('lists every session newest first (fix: not shadowed by /{id})', async () => {
    await api('POST', '/session', { experiment_id: 'newest-1' });
    const res = await api('GET', '/sessions');
    expect(res.status).toBe(200);
    const ids = (res.json.data as { experiment_id: string }[]).map((s) => s.experiment_id);
    expect(res.json.count).toBe(ids.length);
    expect(ids[0]).toBe('newest-1');
    expect(ids).toContain('test_exp_123');
    expect(ids.indexOf('test_exp_123')).toBeGreaterThan(ids.indexOf('keep-1'));
  });

  it('answers info of one session', async () => {
    const res = await api('GET', '/test_exp_123/info');
    expect(res.json).toEqual({
      success: true,
      data: expect.objectContaining({ experiment_id: 'test_exp_123', status: 'queued' }),
    });
  });

  it('names a bad id in the path', async () => {
    const res = await api('GET', `/${'x'.repeat(129)}/info`);
    expect(res.status).toBe(422);
    expect(res.json.details).toMatchObject([{ loc: ['path', 'experiment_id'] }]);
  });
});

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
