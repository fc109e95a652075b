import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestServices } from './helpers/fixtures';

const services = setupTestServices();

beforeAll(async () => {
  await services.sessions.create({ experimentId: 'curve' });
  // 1000 steps of a falling loss with one spike and one NaN, and mAP once per 100 steps.
  await services.metrics.appendBatch(
    'curve',
    Array.from({ length: 1000 }, (_, i) => {
      const step = i + 1;
      const loss = step === 500 ? 50 : step === 700 ? Number.NaN : 1 / step;
      const values: Record<string, number> = step % 100 === 0 ? { loss, mAP: step / 1000 } : { loss };
      return { epoch: Math.floor(i / 100), step, values };
    }),
  );
});

describe('metric series', () => {
  it('returns every point when the series is shorter than maxPoints', async () => {
    const { series, throughSeq } = await services.metrics.series({ experimentId: 'curve', names: ['mAP'], x: 'step' });
    expect(throughSeq).toBe(1001);
    expect(series[0]!.x).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(series[0]!.y[9]).toBeCloseTo(1);
    expect(series[0]!.last).toMatchObject({ value: 1, step: 1000, epoch: 9 });
  });

  it('thins a long series to maxPoints buckets, keeping the spike as a max and the NaN as a marker', async () => {
    const { series } = await services.metrics.series({ experimentId: 'curve', names: ['loss'], x: 'step', maxPoints: 50 });
    const loss = series[0]!;
    expect(loss.x.length).toBeLessThanOrEqual(50);
    expect(loss.n.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.max(...loss.max.filter((v): v is number => v !== null))).toBe(50);
    expect(loss.nonFinite).toHaveLength(1);
    expect(loss.nonFinite[0]!.x).toBe(700);
    expect(Number.isNaN(loss.nonFinite[0]!.value)).toBe(true);
    // The NaN is counted, not averaged in: every bucket mean is a number.
    expect(loss.y.every((v) => v !== null && Number.isFinite(v))).toBe(true);
    expect(Number.isNaN(loss.last!.value)).toBe(false);
  });

  it('returns a zoomed range in full detail', async () => {
    const { series } = await services.metrics.series({
      experimentId: 'curve',
      names: ['loss'],
      x: 'step',
      from: 690,
      to: 710,
      maxPoints: 50,
    });
    const loss = series[0]!;
    expect(loss.x[0]).toBe(690);
    expect(loss.x.at(-1)).toBe(710);
    expect(loss.n.every((n) => n === 1)).toBe(true);
    // Step 700 held only a NaN: a gap in the line, and a marker.
    expect(loss.y[loss.x.indexOf(700)]).toBeNull();
    expect(loss.nonFinite.map((m) => m.x)).toEqual([700]);
  });

  it('draws against epochs and wall time too', async () => {
    const byEpoch = await services.metrics.series({ experimentId: 'curve', names: ['mAP'], x: 'epoch' });
    expect(byEpoch.series[0]!.x).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const byTime = await services.metrics.series({ experimentId: 'curve', names: ['mAP'], x: 'time' });
    expect(byTime.series[0]!.x[0]).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('lists status changes oldest first', async () => {
    await services.sessions.setStatus({ experimentId: 'curve', status: 'running' });
    await services.sessions.setStatus({ experimentId: 'curve', status: 'paused', message: 'by request' });
    const history = await services.sessions.statusHistory('curve');
    expect(history.map((h) => h.status)).toEqual(['queued', 'running', 'paused']);
    expect(history[2]!.message).toBe('by request');
  });
});
