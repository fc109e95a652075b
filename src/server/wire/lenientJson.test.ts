import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLenientJson, stringifyLenientJson } from './lenientJson';

describe('lenient JSON', () => {
  it('reads the tokens Python writes for non-finite floats', () => {
    expect(parseLenientJson('{"a": NaN, "b": [Infinity, -Infinity, 1e3], "c": "NaN"}')).toEqual({
      a: Number.NaN,
      b: [Infinity, -Infinity, 1000],
      c: 'NaN',
    });
  });

  it('leaves the words alone inside strings, escaped quotes included', () => {
    expect(parseLenientJson('{"m": "say \\"NaN\\" -Infinity", "v": NaN}')).toEqual({ m: 'say "NaN" -Infinity', v: Number.NaN });
  });

  it('still rejects what is not JSON', () => {
    for (const text of ['{"a": nan}', '{"a": NaNx}', '{"a": Infinit}', '{', '']) {
      expect(() => parseLenientJson(text)).toThrow(SyntaxError);
    }
  });

  it('reads deeply nested bodies with NaN without overflowing the stack', () => {
    const depth = 100_000;
    let value = parseLenientJson('['.repeat(depth) + 'NaN' + ']'.repeat(depth));
    for (let i = 0; i < depth; i++) value = (value as unknown[])[0];
    expect(value).toBeNaN();
    const proto = parseLenientJson('{"__proto__": NaN}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('writes non-finite numbers back as tokens and round-trips any JSON value', () => {
    expect(stringifyLenientJson({ a: Number.NaN, b: [Infinity, -Infinity], s: 'NaN' })).toBe(
      '{"a":NaN,"b":[Infinity,-Infinity],"s":"NaN"}',
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.constantFrom(Number.NaN, Infinity, -Infinity)), (value, odd) => {
        // Finite values come back as JSON itself would bring them back (-0 becomes 0).
        const expected = { value: JSON.parse(JSON.stringify(value)) as unknown, odd };
        expect(parseLenientJson(stringifyLenientJson({ value, odd }))).toEqual(expected);
      }),
    );
  });
});
