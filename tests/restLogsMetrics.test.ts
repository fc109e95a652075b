/** The REST shim's log and metric routes: appending, reading back, levels, NaN and Infinity. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestServer } from './helpers/fixtures';
import { ISO_Z, LOGS, trainingLogs } from './helpers/plain';

const app = setupTestServer();
const api = trainingLogs(app);

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
