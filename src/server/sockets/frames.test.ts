import { describe, expect, it } from 'vitest';
import { simulatedSample } from '../../../bench/lib/simulatedHost';
import { isPlainJson } from '../../shared/plainJson';
import { frameBytes, systemFrameBytes } from './frames';

describe('a system socket frame', () => {
  it("of a published sample reuses the sample's JSON text, byte for byte what lenient JSON writes", () => {
    const sample = simulatedSample('gpu-07', Date.parse('2026-12-04T10:00:00Z'), 7);
    const expected = frameBytes({ type: 'system_stats', data: sample });
    expect(isPlainJson(sample)).toBe(true);
    expect(systemFrameBytes(sample).equals(expected)).toBe(true);
    const text = systemFrameBytes(sample).subarray(4).toString();
    expect(JSON.parse(text)).toEqual({ type: 'system_stats', data: sample });
  });
});
