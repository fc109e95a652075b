import { TRPCClientError } from '@trpc/client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/server/api/root';
import { setupTestServer } from './helpers/fixtures';
import { httpClient } from './helpers/server';

const app = setupTestServer();
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  api = httpClient(app);
  await api.session.create.mutate({ experimentId: 'valid' });
});

/** Calls a procedure with bad input; returns the HTTP status and the fields zod named. */
async function rejection(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const e = error as TRPCClientError<AppRouter>;
    const fields = e.data?.zodError ? Object.keys(e.data.zodError.fieldErrors) : [];
    return { status: e.data?.httpStatus, code: e.data?.code, fields, stack: (e.data as { stack?: unknown }).stack };
  }
  throw new Error('the call was accepted');
}

// Each bad input is `unknown` on purpose: the server must reject what the types would not allow.
const bad = <T>(value: unknown) => value as T;

describe('every procedure rejects bad input with 400 naming the field', () => {
  const cases: [string, () => Promise<unknown>, string[]][] = [
    ['session.create: empty id', () => api.session.create.mutate({ experimentId: '' }), ['experimentId']],
    ['session.create: id too long', () => api.session.create.mutate({ experimentId: 'x'.repeat(129) }), ['experimentId']],
    ['session.create: negative epochs', () => api.session.create.mutate({ experimentId: 'a', totalEpochs: -1 }), ['totalEpochs']],
    [
      'session.create: config not an object',
      () => api.session.create.mutate({ experimentId: 'a', config: bad([1]) }),
      ['config'],
    ],
    ['session.get: missing id', () => api.session.get.query(bad({})), ['experimentId']],
    ['session.list: limit 0', () => api.session.list.query({ limit: 0 }), ['limit']],
    ['session.list: unknown status', () => api.session.list.query({ status: ['sleeping'] }), ['status']],
    [
      'session.setStatus: unknown status',
      () => api.session.setStatus.mutate({ experimentId: 'valid', status: 'done' }),
      ['status'],
    ],
    ['session.heartbeat: id not a string', () => api.session.heartbeat.mutate(bad({ experimentId: 42 })), ['experimentId']],
    ['session.delete: missing id', () => api.session.delete.mutate(bad({})), ['experimentId']],
    [
      'session.ingest: producer without numbers',
      () => api.session.ingest.mutate({ experimentId: 'valid', producer: { id: 'p' }, events: [{ type: 'log', message: 'x' }] }),
      ['events'],
    ],
    ['session.ingest: empty batch', () => api.session.ingest.mutate({ experimentId: 'valid', events: [] }), ['events']],
    ['log.append: unknown level', () => api.log.append.mutate({ experimentId: 'valid', level: 'LOUD', message: 'x' }), ['level']],
    ['log.append: missing message', () => api.log.append.mutate(bad({ experimentId: 'valid' })), ['message']],
    [
      'log.append: message over the limit',
      () => api.log.append.mutate({ experimentId: 'valid', message: 'x'.repeat(64 * 1024 + 1) }),
      ['message'],
    ],
    ['log.appendBatch: no entries', () => api.log.appendBatch.mutate({ experimentId: 'valid', entries: [] }), ['entries']],
    ['log.list: limit over 10000', () => api.log.list.query({ experimentId: 'valid', limit: 10_001 }), ['limit']],
    ['log.list: bad min level', () => api.log.list.query({ experimentId: 'valid', minLevel: 'LOUD' }), ['minLevel']],
    ['log.countByLevel: missing id', () => api.log.countByLevel.query(bad({})), ['experimentId']],
    [
      'metric.append: value not a number',
      () => api.metric.append.mutate({ experimentId: 'valid', epoch: 1, values: bad({ loss: 'high' }) }),
      ['values'],
    ],
    ['metric.append: no values', () => api.metric.append.mutate({ experimentId: 'valid', epoch: 1, values: {} }), ['values']],
    [
      'metric.append: fractional epoch',
      () => api.metric.append.mutate({ experimentId: 'valid', epoch: 1.5, values: { loss: 1 } }),
      ['epoch'],
    ],
    ['metric.appendBatch: no reports', () => api.metric.appendBatch.mutate({ experimentId: 'valid', reports: [] }), ['reports']],
    ['metric.list: negative limit', () => api.metric.list.query({ experimentId: 'valid', limit: -1 }), ['limit']],
    ['metric.names: missing id', () => api.metric.names.query(bad({})), ['experimentId']],
  ];

  it.each(cases)('%s', async (_name, call, fields) => {
    const r = await rejection(call);
    expect(r).toMatchObject({ status: 400, code: 'BAD_REQUEST', fields });
    expect(r.stack).toBeUndefined();
  });
});

describe('missing sessions', () => {
  it.each([
    ['session.get', () => api.session.get.query({ experimentId: 'nope' })],
    ['session.setStatus', () => api.session.setStatus.mutate({ experimentId: 'nope', status: 'running' })],
    ['session.heartbeat', () => api.session.heartbeat.mutate({ experimentId: 'nope' })],
    ['session.delete', () => api.session.delete.mutate({ experimentId: 'nope' })],
    ['session.ingest', () => api.session.ingest.mutate({ experimentId: 'nope', events: [{ type: 'log', message: 'x' }] })],
    ['log.append', () => api.log.append.mutate({ experimentId: 'nope', message: 'x' })],
    ['log.list', () => api.log.list.query({ experimentId: 'nope' })],
    ['metric.append', () => api.metric.append.mutate({ experimentId: 'nope', epoch: 0, values: { a: 1 } })],
    ['metric.list', () => api.metric.list.query({ experimentId: 'nope' })],
  ] as const)('%s answers 404 NOT_FOUND', async (_name, call) => {
    expect(await rejection(call)).toMatchObject({ status: 404, code: 'NOT_FOUND', fields: [] });
  });
});
