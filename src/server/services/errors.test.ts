import { describe, expect, it } from 'vitest';
import { classifyError, databaseUnavailable, ServiceError, sessionNotFound } from './errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it('passes a ServiceError through as raised', () => {
    const error = sessionNotFound('run-1');
    expect(classifyError(error)).toBe(error);
    expect(classifyError(new ServiceError('CONFLICT', 'taken'))?.code).toBe('CONFLICT');
    expect(classifyError(new ServiceError('BAD_REQUEST', 'bad'))?.code).toBe('BAD_REQUEST');
  });

  it('recognises a ServiceError from another copy of this module by its brand', () => {
    const foreign = Object.assign(new Error('gone'), { code: 'NOT_FOUND', [Symbol.for('cvsm.ServiceError')]: true });
    expect(classifyError(foreign)).toBe(foreign);
  });

  it('calls an unreachable, closed or timed out database UNAVAILABLE, with one message', () => {
    const causes = [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('canceling statement due to statement timeout', '57014'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode("Can't reach database server", 'P1001'),
      new Error('Connection terminated unexpectedly'),
      new Error('query failed', { cause: withCode('socket hang up', 'ECONNRESET') }),
    ];
    for (const cause of causes) {
      const known = classifyError(cause);
      expect(known?.code).toBe('UNAVAILABLE');
      expect(known?.message).toBe('The database is unavailable; try again shortly');
      expect(known?.cause).toBe(cause);
    }
    expect(databaseUnavailable().message).toBe('The database is unavailable; try again shortly');
  });

  it('leaves every other error unclassified: an internal fault', () => {
    expect(classifyError(new TypeError('x is undefined'))).toBeNull();
    expect(classifyError(withCode('duplicate key value', '23505'))).toBeNull();
    expect(classifyError('a string')).toBeNull();
    expect(classifyError(undefined)).toBeNull();
  });
});
