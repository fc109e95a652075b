import { describe, expect, it } from 'vitest';
import { errorWords } from './useErrorText';

describe('a failed call in words', () => {
  it('names the fields of a bad input, once each', () => {
    const issues = [{ path: ['name'] }, { path: ['rule', 0] }, { path: ['name'] }];
    expect(errorWords({ message: '', data: { code: 'BAD_REQUEST', issues } })).toEqual({
      key: 'invalidFields',
      values: { fields: 'name, rule.0' },
    });
    expect(errorWords({ message: '', data: { code: 'BAD_REQUEST', issues: null } })).toEqual({ key: 'badRequest' });
  });

  it("keeps a fault's log id", () => {
    expect(errorWords({ message: 'Internal error (id 7f3a)', data: { code: 'INTERNAL_SERVER_ERROR' } })).toEqual({
      key: 'internal',
      values: { id: '7f3a' },
    });
    expect(errorWords({ message: 'boom', data: { code: 'INTERNAL_SERVER_ERROR' } }).values).toEqual({ id: '–' });
  });

  it('says each known code its own way, no answer as a network failure, the rest as failed', () => {
    expect(errorWords({ message: '', data: { code: 'CONFLICT' } })).toEqual({ key: 'conflict' });
    expect(errorWords({ message: '', data: { code: 'TOO_MANY_REQUESTS' } })).toEqual({ key: 'rateLimited' });
    expect(errorWords({ message: '' })).toEqual({ key: 'network' });
    expect(errorWords({ message: '', data: null })).toEqual({ key: 'network' });
    expect(errorWords({ message: '', data: { code: 'TIMEOUT' } })).toEqual({ key: 'failed' });
  });
});
