import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { simulatedSample } from '../../../bench/lib/simulatedHost';
import { decodeInput } from './inputDecoding';

/** What a client sends, as the server's JSON parser hands it over. */
const received = (value: unknown) => JSON.parse(JSON.stringify(superjson.serialize(value))) as unknown;

describe('decodeInput', () => {
  it('reads an input without meta as superjson does', () => {
    const input = { samples: [simulatedSample('gpu-01', Date.parse('2026-12-04T10:00:00Z'), 1)] };
    const payload = received(input);
    expect(payload).not.toHaveProperty('meta');
    expect(decodeInput(payload)).toEqual(superjson.deserialize(received(input) as Parameters<typeof superjson.deserialize>[0]));
    expect(decodeInput(received(input))).toEqual(input);
  });

  it('drops a __proto__ key as superjson does, and never takes it for the prototype', () => {
    const payload = JSON.parse('{"json":{"config":{"__proto__":{"admin":true},"lr":0.1}}}') as unknown;
    const decoded = decodeInput(payload) as { config: Record<string, unknown> };
    expect(decoded).toEqual({ config: { lr: 0.1 } });
    expect(Object.keys(decoded.config)).toEqual(['lr']);
    expect(Object.getPrototypeOf(decoded.config)).toBe(Object.prototype);
    expect((decoded.config as { admin?: unknown }).admin).toBeUndefined();
  });

  it('still applies meta when there is some', () => {
    const input = { at: new Date('2026-12-04T10:00:00Z'), loss: Number.NaN };
    expect(decodeInput(received(input))).toEqual(input);
  });
});
