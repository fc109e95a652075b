import { describe, expect, it } from 'vitest';
import { OFFLINE_RGB, scaleRgb } from './gpuColors';
import { heatBounds, heatMetricOf, paintHeatmap, powerTop } from './heatmapScale';

const pixel = (img: Uint8ClampedArray, cols: number, r: number, c: number) => [
  ...img.slice((r * cols + c) * 4, (r * cols + c) * 4 + 4),
];

describe('the fleet history heatmap colours', () => {
  it('paints each cell as the GPU grid colours its value, one pixel per host and bucket', () => {
    const img = paintHeatmap(
      [
        [0, 50, 100],
        [30, null, 90],
      ],
      3,
      0,
      100,
    );
    expect(img.length).toBe(2 * 3 * 4);
    expect(pixel(img, 3, 0, 0)).toEqual([...scaleRgb(0, 0, 100), 255]);
    expect(pixel(img, 3, 0, 2)).toEqual([...scaleRgb(100, 0, 100), 255]);
    // The table has 256 steps: within one step of the grid's own colour.
    const mid = pixel(img, 3, 0, 1);
    scaleRgb(50, 0, 100).forEach((v, k) => expect(Math.abs(mid[k]! - v)).toBeLessThanOrEqual(2));
  });

  it('shows no value, and a host with none in the range, in the offline grey, unlike any value', () => {
    const img = paintHeatmap([[5, null], undefined], 2, 0, 100);
    expect(pixel(img, 2, 0, 1)).toEqual([...OFFLINE_RGB, 255]);
    expect(pixel(img, 2, 1, 0)).toEqual([...OFFLINE_RGB, 255]);
    expect(pixel(img, 2, 1, 1)).toEqual([...OFFLINE_RGB, 255]);
    for (let v = 0; v <= 100; v += 5) expect(scaleRgb(v, 0, 100)).not.toEqual([...OFFLINE_RGB]);
  });

  it('clamps values outside the scale to its ends', () => {
    const img = paintHeatmap([[-20, 140]], 2, 30, 90);
    expect(pixel(img, 2, 0, 0)).toEqual([...scaleRgb(30, 30, 90), 255]);
    expect(pixel(img, 2, 0, 1)).toEqual([...scaleRgb(90, 30, 90), 255]);
  });

  it('fills a given buffer (an ImageData) and a short row as no value', () => {
    const out = new Uint8ClampedArray(2 * 4);
    expect(paintHeatmap([[10]], 2, 0, 100, out)).toBe(out);
    expect(pixel(out, 2, 0, 1)).toEqual([...OFFLINE_RGB, 255]);
  });

  it('scales power to the largest value shown, rounded up, and percentages to 100', () => {
    expect(powerTop([[350, null, 4_100]])).toBe(5_000);
    expect(powerTop([[1_200], [1_900]])).toBe(2_000);
    expect(powerTop([[null], [40]])).toBe(100);
    expect(heatBounds('power', [[700]])).toEqual({ min: 0, max: 1_000 });
    expect(heatBounds('util', [[700]])).toEqual({ min: 0, max: 100 });
    expect(heatBounds('temp', [])).toEqual({ min: 30, max: 90 });
  });

  it('finds the choice that reads an answer’s metric', () => {
    expect(heatMetricOf('gpu_temp').key).toBe('temp');
    expect(heatMetricOf('cpu_util').key).toBe('cpu');
  });
});
