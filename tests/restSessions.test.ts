/** The REST shim's session routes as the older clients use them: create, status, info, delete, list. */
import { describe, expect, it } from 'vitest';
import { setupTestServer } from './helpers/fixtures';
import { ISO_Z, LOGS, trainingLogs } from './helpers/plain';

const app = setupTestServer();
const api = trainingLogs(app);

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
