/**
 * The REST batch door and the control long-poll, which the Python client uses: ordered
 * mixed batches stored once per producer number, NaN as Python writes it, 422s naming the
 * bad event, and a control request answering a waiting poll.
 */
import { describe, expect, it } from 'vitest';
import { setupTestServer } from './helpers/fixtures';
import { call, LOGS, trainingLogs } from './helpers/plain';

const app = setupTestServer();

const api = trainingLogs(app);

const batch = (first: number, events: unknown[]) => ({ producer_id: 'py-1', first_seq: first, events });

describe('POST /{id}/batch', () => {
  it('stores a mixed batch in order and a retried one once', async () => {
    await api('POST', '/session', { experiment_id: 'batch-1', host: 'gpu-node-7' });
    const events = [
      { type: 'status', status: 'running' },
      { type: 'log', level: 'info', message: 'epoch 1' },
      { type: 'metrics', epoch: 1, step: 10, metrics: { loss: 0.5 } },
      { type: 'status', status: 'paused', message: 'asked' },
      { type: 'log', message: 'waiting' },
    ];
    const first = await api('POST', '/batch-1/batch', batch(1, events));
    expect(first.status).toBe(200);
    expect(first.json.data).toEqual({ stored: 5, duplicates: 0, last_seq: 6 });

    // The same batch again (a retry after a lost answer), then one overlapping it.
    const again = await api('POST', '/batch-1/batch', batch(1, events));
    expect(again.json.data).toEqual({ stored: 0, duplicates: 5, last_seq: null });
    const overlap = await api('POST', '/batch-1/batch', batch(5, [events[4], { type: 'log', message: 'resumed' }]));
    expect(overlap.json.data).toEqual({ stored: 1, duplicates: 1, last_seq: 7 });

    const logs = await api('GET', '/batch-1');
    expect((logs.json.data as { message: string }[]).map((l) => l.message)).toEqual(['epoch 1', 'waiting', 'resumed']);
    const info = await api('GET', '/batch-1/info');
    expect(info.json.data).toMatchObject({ status: 'paused', current_epoch: 1, log_count: 3, metrics_count: 1 });
  });

  it('accepts NaN and Infinity as Python json.dumps writes them, and writes them back', async () => {
    await api('POST', '/session', { experiment_id: 'batch-nan' });
    const body =
      '{"producer_id": "py-2", "first_seq": 1, "events": [{"type": "metrics", "epoch": 0, "metrics": {"loss": NaN, "up": Infinity, "down": -Infinity}}]}';
    expect((await api('POST', '/batch-nan/batch', body)).status).toBe(200);
    const rows = await api('GET', '/batch-nan/metrics');
    expect(rows.text).toContain('"loss":NaN');
    expect(rows.json.data).toEqual([
      { epoch: 0, timestamp: expect.any(String), loss: Number.NaN, up: Infinity, down: -Infinity },
    ]);
  });

  it('answers 422 naming the bad event and field, 404 for an unknown run', async () => {
    await api('POST', '/session', { experiment_id: 'batch-bad' });
    const bad = await api(
      'POST',
      '/batch-bad/batch',
      batch(1, [
        { type: 'log', message: 'fine' },
        { type: 'metrics', epoch: -1, metrics: { loss: 'high' } },
        { type: 'status', status: 'sleeping' },
        { type: 'checkpoint' },
      ]),
    );
    expect(bad.status).toBe(422);
    const locs = (bad.json.details as { loc: (string | number)[] }[]).map((d) => d.loc.join('.'));
    expect(locs).toEqual(
      expect.arrayContaining(['body.events.1.epoch', 'body.events.1.metrics.loss', 'body.events.2.status', 'body.events.3.type']),
    );
    expect((await api('GET', '/batch-bad')).json.count).toBe(0);

    const missing = await api('POST', '/nobody/batch', batch(1, [{ type: 'log', message: 'x' }]));
    expect(missing.status).toBe(404);
    const noProducer = await api('POST', '/batch-bad/batch', { first_seq: 1, events: [{ type: 'log', message: 'x' }] });
    expect(noProducer.status).toBe(422);
  });

  it('is in the OpenAPI document with its body schema', async () => {
    const doc = (await call(app.url, 'GET', '/api/v1/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths[`${LOGS}/{experiment_id}/batch`]?.post).toMatchObject({ operationId: 'ingestBatch' });
    expect(doc.paths[`${LOGS}/{experiment_id}/control`]?.get).toMatchObject({ operationId: 'pollControl' });
  });
});

describe('GET /{id}/control', () => {
  it('answers pending requests at once, and a waiting poll when one is made', async () => {
    await api('POST', '/session', { experiment_id: 'ctl-1' });
    const empty = await api('GET', '/ctl-1/control?wait=0');
    expect(empty.json).toMatchObject({ success: true, data: [], count: 0 });

    const waiting = api('GET', '/ctl-1/control?after=0&wait=20');
    await app.services.controls.request('ctl-1', 'pause', 'from the web app');
    const answer = await waiting;
    expect(answer.json.data).toEqual([
      { id: expect.any(Number), action: 'pause', message: 'from the web app', requested_at: expect.any(String) },
    ]);
    const id = (answer.json.data as { id: number }[])[0]!.id;

    // After it: nothing new; acknowledged by status, it is no longer pending.
    expect((await api('GET', `/ctl-1/control?after=${id}&wait=0`)).json.count).toBe(0);
    await api('POST', '/ctl-1/batch', batch(1, [{ type: 'status', status: 'paused' }]));
    expect((await api('GET', '/ctl-1/control?after=0&wait=0')).json.count).toBe(0);
    expect((await api('GET', '/nobody/control?wait=0')).status).toBe(404);
  });
});
