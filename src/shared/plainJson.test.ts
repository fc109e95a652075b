import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { simulatedSample } from '../../bench/lib/simulatedHost';
import { isPlainJson, knownPlainJson, plainJsonText } from './plainJson';

describe('isPlainJson', () => {
  it('takes a system sample, whose superjson form is then { json: sample } and its text JSON.stringify', () => {
    const sample = simulatedSample('gpu-01', Date.parse('2026-12-04T10:00:00Z'), 3);
    expect(knownPlainJson(sample)).toBe(false);
    expect(isPlainJson(sample)).toBe(true);
    expect(knownPlainJson(sample)).toBe(true);
    expect(superjson.serialize(sample)).toEqual({ json: sample });
    expect(plainJsonText(sample)).toBe(JSON.stringify(superjson.serialize(sample).json));
    expect(plainJsonText(sample)).toBe(plainJsonText(sample));
  });

  it('refuses every value superjson would annotate, copy differently or refuse', () => {
    const shared = { a: 1 };
    const cases: Record<string, unknown> = {
      undefined: { power_limit: undefined },
      NaN: { loss: Number.NaN },
      infinity: [Number.POSITIVE_INFINITY],
      'negative zero': { util: -0 },
      date: { at: new Date(0) },
      bigint: { n: 1n },
      map: { m: new Map() },
      'class instance': { u: new URL('http://x') },
      'shared reference': { x: shared, y: shared },
      'constructor key': JSON.parse('{"labels":{"constructor":"x"}}'),
      '__proto__ key': JSON.parse('{"__proto__":{"x":1}}'),
      'array hole': [1, , 3],
    };
    for (const [name, value] of Object.entries(cases)) {
      expect(isPlainJson(value), name).toBe(false);
      expect(knownPlainJson(value), name).toBe(false);
    }
  });

  it('stops at a depth past any sample rather than recursing without end', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(isPlainJson(deep)).toBe(false);
  });
});
