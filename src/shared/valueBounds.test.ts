import { describe, expect, it } from 'vitest';
import { findValueProblem, walkValueWithKeys } from './valueBounds';

const bounds = { maxDepth: 4, maxValues: 100, checkKeys: true };

describe('findValueProblem', () => {
  it('accepts a small tree and counts its values', () => {
    expect(walkValueWithKeys({ a: [1, 2], b: { c: 'x' } }, bounds)).toEqual({ problem: null, values: 6, protoKey: false });
  });

  it('names a cycle where it closes, and never loops', () => {
    const a: Record<string, unknown> = {};
    a.self = { back: a };
    expect(findValueProblem({ a }, bounds)).toEqual({ kind: 'cycle', path: ['a', 'self', 'back'] });
  });

  it('lets an object be shared between places, counting it once per place', () => {
    const shared = { lr: 0.1 };
    expect(findValueProblem({ train: shared, val: shared }, bounds)).toBeNull();
    let node: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 3; i++) node = { l: node, r: node };
    expect(findValueProblem(node, { ...bounds, maxValues: 10 })).toMatchObject({ kind: 'size' });
  });

  it('stops at the depth limit without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findValueProblem(deep, { ...bounds, maxValues: 1e6 })).toMatchObject({ kind: 'depth' });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('names a key called %s with its path', (key) => {
    const value = JSON.parse(`{"a":{"b":[{"${key}":1}]}}`) as unknown;
    expect(findValueProblem(value, bounds)).toEqual({ kind: 'key', path: ['a', 'b', 0, key] });
    expect(findValueProblem(value, { ...bounds, checkKeys: false })).toBeNull();
  });
});
