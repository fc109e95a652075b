import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { simulatedSample } from '../../../bench/lib/simulatedHost';
import { isPlainJson } from '../../shared/plainJson';
import type { SessionStreamItem } from '../../shared/types';
import { transformer, wsEncoder } from './sharedSerialization';

const now = new Date('2026-11-29T12:00:00.123Z');
const batch: SessionStreamItem = {
  kind: 'events',
  sessionId: 7,
  events: [
    {
      type: 'log',
      seq: 41,
      data: { seq: 41, level: 'INFO', message: 'price: $& "quoted" $1', source: 'trainer', timestamp: now },
    },
    {
      type: 'metrics',
      seq: 42,
      // The same Date object twice, NaN, -Infinity and a dotted name: all need superjson's meta.
      data: {
        seq: 42,
        epoch: 3,
        step: null,
        timestamp: now,
        values: { 'val.mAP@50': 0.5, loss: Number.NaN, lr: Number.NEGATIVE_INFINITY },
      },
    },
  ],
};

/** The message tRPC's WebSocket adapter builds for a tracked item, as the adapter builds it. */
const message = (subscriptionId: number) => ({
  id: subscriptionId,
  jsonrpc: '2.0' as const,
  result: { type: 'data' as const, id: '7:42', data: transformer.output.serialize({ id: '7:42', data: batch }) },
});

describe('shared serialisation of live batches', () => {
  it('writes what superjson and JSON.stringify would, and reads back the same batch', () => {
    for (const subscriber of [1, 2, 3]) {
      const text = wsEncoder.encode(message(subscriber));
      const plain = JSON.stringify({
        id: subscriber,
        jsonrpc: '2.0',
        result: { type: 'data', id: '7:42', data: superjson.serialize({ id: '7:42', data: batch }) },
      });
      expect(JSON.parse(text)).toEqual(JSON.parse(plain));
      const decoded = wsEncoder.decode(text) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
      expect(superjson.deserialize(decoded.result.data)).toEqual({ id: '7:42', data: batch });
    }
  });

  it('serialises a batch once for all its subscribers', () => {
    expect(message(1).result.data.json).not.toBe(undefined);
    const a = message(1).result.data.json as { data: unknown };
    const b = message(2).result.data.json as { data: unknown };
    expect(a.data).toBe(b.data);
  });

  it('leaves other results to plain superjson', () => {
    const value = { experimentId: 'x', createdAt: now };
    expect(transformer.output.serialize(value)).toEqual(superjson.serialize(value));
  });

  it('sends a sample known plain JSON as superjson would, its text made once for every subscriber', () => {
    const sample = simulatedSample('gpu-01', now.getTime(), 1);
    expect(isPlainJson(sample)).toBe(true);
    const frame = (subscriber: number) => ({
      id: subscriber,
      jsonrpc: '2.0' as const,
      result: { type: 'data' as const, data: transformer.output.serialize(sample) },
    });
    expect(frame(1).result.data).toEqual(superjson.serialize(sample));
    for (const subscriber of [1, 2]) {
      const text = wsEncoder.encode(frame(subscriber));
      const expected = JSON.stringify({
        id: subscriber,
        jsonrpc: '2.0',
        result: { type: 'data', data: superjson.serialize(sample) },
      });
      expect(text).toBe(expected);
    }
  });
});
