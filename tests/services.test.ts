import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestServices } from './helpers/fixtures';

const services = setupTestServices();

describe('sessions', () => {
  it('creates a queued session with its first event, and keeps an existing one as it is', async () => {
    const first = await services.sessions.create({ experimentId: 'keep-me', config: { lr: 0.01 }, totalEpochs: 10 });
    expect(first.created).toBe(true);
    expect(first.session).toMatchObject({ status: 'queued', totalEpochs: 10, currentEpoch: 0, lastSeq: 1, config: { lr: 0.01 } });
    await services.logs.append('keep-me', { level: 'INFO', message: 'kept', source: 'trainer' });

    const again = await services.sessions.create({ experimentId: 'keep-me' });
    expect(again.created).toBe(false);
    expect(again.session).toMatchObject({ config: { lr: 0.01 }, totalEpochs: 10, logCount: 1 });

    const updated = await services.sessions.create({ experimentId: 'keep-me', totalEpochs: 20, config: { lr: 0.1 } });
    expect(updated.session).toMatchObject({ config: { lr: 0.1 }, totalEpochs: 20, logCount: 1 });
    const logs = await services.logs.list({ experimentId: 'keep-me' });
    expect(logs.items.map((l) => l.message)).toEqual(['kept']);
  });

  it('sets started_at on the first run and ended_at on a terminal status, cleared when it leaves one', async () => {
    await services.sessions.create({ experimentId: 'lifecycle' });
    const running = await services.sessions.setStatus({ experimentId: 'lifecycle', status: 'running' });
    expect(running.startedAt).toBeInstanceOf(Date);
    expect(running.endedAt).toBeNull();

    await services.sessions.setStatus({ experimentId: 'lifecycle', status: 'paused' });
    const resumed = await services.sessions.setStatus({ experimentId: 'lifecycle', status: 'running' });
    expect(resumed.startedAt).toEqual(running.startedAt);

    const failed = await services.sessions.setStatus({ experimentId: 'lifecycle', status: 'failed', message: 'OOM' });
    expect(failed.endedAt).toBeInstanceOf(Date);
    const restarted = await services.sessions.setStatus({ experimentId: 'lifecycle', status: 'running' });
    expect(restarted.endedAt).toBeNull();
    const done = await services.sessions.setStatus({ experimentId: 'lifecycle', status: 'completed' });
    expect(done.endedAt).toBeInstanceOf(Date);

    const history = await services.store.readRange(done.id, 0, done.lastSeq);
    expect(history.map((e) => (e.type === 'status' ? [e.data.previousStatus, e.data.status] : null))).toEqual([
      [null, 'queued'],
      ['queued', 'running'],
      ['running', 'paused'],
      ['paused', 'running'],
      ['running', 'failed'],
      ['failed', 'running'],
      ['running', 'completed'],
    ]);
    expect(history[4]).toMatchObject({ data: { message: 'OOM' } });
  });

  it('answers NOT_FOUND for a session that does not exist', async () => {
    await expect(services.sessions.setStatus({ experimentId: 'ghost', status: 'running' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(services.logs.append('ghost', { level: 'INFO', message: 'x', source: 's' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(services.sessions.delete('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(services.sessions.get('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists newest first, filtered by status and id, page by page', async () => {
    for (const id of ['list-a', 'list-b', 'list-c']) await services.sessions.create({ experimentId: id });
    await services.sessions.setStatus({ experimentId: 'list-b', status: 'running' });
    const all = await services.sessions.list({ search: 'list-' });
    expect(all.items.map((s) => s.experimentId)).toEqual(['list-c', 'list-b', 'list-a']);
    const running = await services.sessions.list({ search: 'LIST-', status: ['running'] });
    expect(running.items.map((s) => s.experimentId)).toEqual(['list-b']);
    const page1 = await services.sessions.list({ search: 'list-', limit: 2 });
    const page2 = await services.sessions.list({ search: 'list-', limit: 2, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((s) => s.experimentId)).toEqual(['list-c', 'list-b', 'list-a']);
    expect(page2.nextCursor).toBeNull();
  });

  it('deletes a session with its logs, metrics and history', async () => {
    const { session } = await services.sessions.create({ experimentId: 'doomed' });
    await services.logs.append('doomed', { level: 'INFO', message: 'bye', source: 's' });
    await services.metrics.append('doomed', { epoch: 1, values: { loss: 1 } });
    await services.sessions.delete('doomed');
    expect(await services.sessions.find('doomed')).toBeNull();
    const { rows } = await services.db.pool.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM log_entry WHERE session_id = $1) + (SELECT count(*) FROM metric_point WHERE session_id = $1)
             + (SELECT count(*) FROM status_change WHERE session_id = $1))::int AS n`,
      [session.id],
    );
    expect(rows[0]!.n).toBe(0);
    const again = await services.sessions.create({ experimentId: 'doomed' });
    expect(again).toMatchObject({ created: true, session: { logCount: 0, metricsCount: 0, lastSeq: 1 } });
  });
});

describe('logs', () => {
  beforeAll(async () => {
    await services.sessions.create({ experimentId: 'logs' });
    const lines = [
      ['DEBUG', 'tokenizer ready'],
      ['INFO', 'epoch 1 started'],
      ['WARNING', 'lr warm-up'],
      ['INFO', 'epoch 1 done, loss=0.9'],
      ['ERROR', 'NaN in loss'],
      ['CRITICAL', 'CUDA out of memory'],
    ] as const;
    await services.logs.appendBatch(
      'logs',
      lines.map(([level, message]) => ({ level, message, source: 'trainer' })),
    );
  });

  it('numbers lines in order and returns the last N, oldest first', async () => {
    const { items, hasMore } = await services.logs.list({ experimentId: 'logs', limit: 3 });
    expect(items.map((l) => l.message)).toEqual(['epoch 1 done, loss=0.9', 'NaN in loss', 'CUDA out of memory']);
    expect(hasMore).toBe(true);
    expect(items.map((l) => l.seq)).toEqual([5, 6, 7]); // seq 1 is the creation
  });

  it('filters by exact level, by minimum level and by text', async () => {
    const info = await services.logs.list({ experimentId: 'logs', level: 'INFO' });
    expect(info.items.map((l) => l.message)).toEqual(['epoch 1 started', 'epoch 1 done, loss=0.9']);
    const serious = await services.logs.list({ experimentId: 'logs', minLevel: 'ERROR' });
    expect(serious.items.map((l) => l.level)).toEqual(['ERROR', 'CRITICAL']);
    const epoch = await services.logs.list({ experimentId: 'logs', search: 'EPOCH 1' });
    expect(epoch.items).toHaveLength(2);
  });

  it('pages backwards with a cursor', async () => {
    const last = await services.logs.list({ experimentId: 'logs', limit: 2 });
    const before = await services.logs.list({ experimentId: 'logs', limit: 2, beforeSeq: last.items[0]!.seq });
    expect(before.items.map((l) => l.seq)).toEqual([4, 5]);
  });

  it('counts lines per level', async () => {
    expect(await services.logs.countByLevel('logs')).toEqual({ DEBUG: 1, INFO: 2, WARNING: 1, ERROR: 1, CRITICAL: 1 });
  });
});

describe('metrics', () => {
  it('keeps NaN and ±Infinity, one report per call, and moves the current epoch', async () => {
    await services.sessions.create({ experimentId: 'metrics', totalEpochs: 3 });
    await services.metrics.append('metrics', { epoch: 1, step: 100, values: { loss: 0.5, acc: 0.8 } });
    await services.metrics.append('metrics', {
      epoch: 2,
      step: 200,
      values: { loss: Number.NaN, grad: Number.POSITIVE_INFINITY },
    });
    await services.metrics.append('metrics', { epoch: 3, values: { loss: Number.NEGATIVE_INFINITY } });

    const reports = await services.metrics.list({ experimentId: 'metrics' });
    expect(reports.map((r) => [r.epoch, r.step, r.values])).toEqual([
      [1, 100, { loss: 0.5, acc: 0.8 }],
      [2, 200, { loss: Number.NaN, grad: Number.POSITIVE_INFINITY }],
      [3, null, { loss: Number.NEGATIVE_INFINITY }],
    ]);
    expect((await services.metrics.list({ experimentId: 'metrics', limit: 1 })).map((r) => r.epoch)).toEqual([3]);
    expect(await services.metrics.names('metrics')).toEqual(['acc', 'grad', 'loss']);
    expect(await services.sessions.get('metrics')).toMatchObject({ currentEpoch: 3, metricsCount: 3 });
  });
});

describe('ingest with a producer', () => {
  it('stores a retried batch once', async () => {
    await services.sessions.create({ experimentId: 'retry' });
    const batch = [
      { type: 'log' as const, level: 'INFO' as const, message: 'one', source: 'sdk', producerSeq: 1 },
      { type: 'metrics' as const, epoch: 0, values: { loss: 1 }, producerSeq: 2 },
    ];
    const first = await services.store.append('retry', batch, 'run-1');
    const retry = await services.store.append('retry', batch, 'run-1');
    const overlap = await services.store.append(
      'retry',
      [...batch, { type: 'log', level: 'INFO', message: 'three', source: 'sdk', producerSeq: 3 }],
      'run-1',
    );
    expect([first.events.length, retry.events.length, overlap.events.length]).toEqual([2, 0, 1]);
    expect(retry.duplicates).toBe(2);
    const session = await services.sessions.get('retry');
    expect(session).toMatchObject({ logCount: 2, metricsCount: 1, lastSeq: 4 });
    // Another producer has its own numbering.
    const other = await services.store.append('retry', batch, 'run-2');
    expect(other.events.length).toBe(2);
  });

  it('stores a large batch (written by COPY) exactly as sent: awkward text, NaN and ±Infinity, null steps', async () => {
    await services.sessions.create({ experimentId: 'bulk' });
    const awkward = ['tab\there', 'new\nline', 'back\\slash \\N', 'crlf\r\n', 'ünïcødé 🚀', '\\.'];
    const events = Array.from({ length: 1500 }, (_, i) =>
      i % 3 === 0
        ? {
            type: 'log' as const,
            level: 'INFO' as const,
            message: `${awkward[i % awkward.length]} #${i}`,
            source: 'sdk\tx',
            producerSeq: i + 1,
          }
        : {
            type: 'metrics' as const,
            epoch: i,
            step: i % 2 ? i : null,
            values: { loss: i % 100 === 1 ? Number.NaN : 1 / (i + 1), grad: i % 250 === 2 ? Number.NEGATIVE_INFINITY : i },
            producerSeq: i + 1,
          },
    );
    const result = await services.store.append('bulk', events, 'bulk-run');
    expect(result.events).toHaveLength(1500);
    const session = await services.sessions.get('bulk');
    const stored = await services.store.readRange(session.id, 1, session.lastSeq);
    expect(
      stored.map((e) =>
        e.type === 'log'
          ? [e.data.message, e.data.source]
          : e.type === 'metrics'
            ? [e.data.epoch, e.data.step, e.data.values]
            : [],
      ),
    ).toEqual(events.map((e) => (e.type === 'log' ? [e.message, e.source] : [e.epoch, e.step, e.values])));
    expect(session).toMatchObject({ logCount: 500, metricsCount: 1000, lastSeq: 1501, currentEpoch: 1499 });
  });
});
