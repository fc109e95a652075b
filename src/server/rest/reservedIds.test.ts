import { describe, expect, it } from 'vitest';
import { RESERVED_IDS } from '../../shared/schemas/common';
import { endpoints } from './endpoints';

describe('reserved experiment ids', () => {
  it('include every literal REST segment that a GET of a run would be shadowed by', () => {
    const byId = '/api/v1/training/logs/{experiment_id}';
    const prefix = '/api/v1/training/logs/';
    const shadowing = Object.values(endpoints)
      .filter((e) => e.method === 'GET' && e.path.startsWith(prefix) && !e.path.includes('{'))
      .map((e) => e.path.slice(prefix.length));
    expect(Object.values(endpoints).some((e) => e.method === 'GET' && e.path === byId)).toBe(true);
    expect(shadowing.length).toBeGreaterThan(0);
    for (const segment of shadowing) expect(RESERVED_IDS).toContain(segment);
    expect(RESERVED_IDS).toEqual(expect.arrayContaining(['.', '..']));
  });
});
