import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { simulatedSample } from '../../../bench/lib/simulatedHost';
import { knownPlainJson } from '../../shared/plainJson';
import { decodeBusMessage, encodeBusMessage, type BusMessage } from './eventBus';

const at = Date.parse('2026-12-04T10:00:00Z');

describe('bus notifications', () => {
  it('carry a system sample as plain JSON, the very text superjson writes for it', () => {
    const message: BusMessage = { kind: 'system', sample: simulatedSample('gpu-01', at, 1) };
    const text = encodeBusMessage(message);
    expect(text).toBe(superjson.stringify(message));
    expect(JSON.parse(text)).not.toHaveProperty('meta');
    const decoded = decodeBusMessage(text);
    expect(decoded).toEqual(message);
    // Known plain on arrival too, so this instance's live frames skip superjson's walk as well.
    expect(knownPlainJson((decoded as Extract<BusMessage, { kind: 'system' }>).sample)).toBe(true);
  });

  it('read what an instance without plain samples sent, and it reads theirs', () => {
    const message: BusMessage = { kind: 'system', sample: simulatedSample('gpu-02', at, 2) };
    expect(decodeBusMessage(superjson.stringify(message))).toEqual(message);
    expect(superjson.parse(encodeBusMessage(message))).toEqual(message);
  });

  it('keep superjson for a sample JSON would change, and for dated messages', () => {
    const sample = { ...simulatedSample('gpu-03', at, 3), labels: undefined };
    const system: BusMessage = { kind: 'system', sample };
    const back = decodeBusMessage(encodeBusMessage(system)) as Extract<BusMessage, { kind: 'system' }>;
    expect(Object.keys(back.sample)).toContain('labels');
    expect(back).toEqual(system);

    const events: BusMessage = {
      kind: 'events',
      experimentId: 'run-1',
      sessionId: 1,
      events: [
        { type: 'log', seq: 1, data: { seq: 1, level: 'INFO', message: 'epoch 1', source: 'trainer', timestamp: new Date(at) } },
      ],
    };
    expect(JSON.parse(encodeBusMessage(events))).toHaveProperty('meta');
    expect(decodeBusMessage(encodeBusMessage(events))).toEqual(events);
  });
});
