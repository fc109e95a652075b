import type { ChartDataset, ChartOptions, TooltipItem } from 'chart.js';
import { describe, expect, it } from 'vitest';
import type { StatusChangeEntry } from '@/shared/types';
import { compareChartConfig, compareDatasets, drawnRuns, ema, seriesPoints } from '../compare/compareChartConfig';
import { createFormat } from '../format';
import { restyleScales } from './chartjs';
import { metricChartConfig, showSeries, type AnyPoint } from './metricChartConfig';
import { rollingChartConfig, visibleSpan } from './rollingChartConfig';
import { seriesChartOptions } from './seriesChartOptions';
import { statusAnnotations } from './statusAnnotations';

const fmt = createFormat('en', { never: 'never' });
const colors = { fg: '#fff', muted: '#999', grid: '#111', line: '#222', panel: '#000' };
const light = { fg: '#000', muted: '#555', grid: '#eee', line: '#ddd', panel: '#fff' };
// The translator, as the words' keys and their values: enough to see which text is asked for.
const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key} ${JSON.stringify(values)}` : key) as unknown as Parameters<typeof metricChartConfig>[0]['t'];

type Tick = (this: { min: number; max: number }, v: number) => string;
const xTickOf =
  (o: ChartOptions<'line'>, min = 0, max = 10) =>
  (v: number) =>
    (o.scales!.x!.ticks!.callback as unknown as Tick).call({ min, max }, v);
const tooltipOf = (o: ChartOptions<'line'>) => o.plugins!.tooltip!;
const item = (datasetIndex: number, raw: unknown, extra: object = {}) =>
  ({ datasetIndex, raw, parsed: { y: (raw as { y?: number }).y }, dataset: {}, ...extra }) as unknown as TooltipItem<'line'>;

describe('the shared series chart options', () => {
  it('label x through the caller, y as metric values, in the theme colours', () => {
    const o = seriesChartOptions({ colors, fmt, xTick: (v, span) => `${v}/${span}`, tooltip: {} });
    expect(xTickOf(o, 5, 25)(7)).toBe('7/20');
    expect((o.scales!.y!.ticks!.callback as (v: number) => string)(0.25)).toBe(fmt.metric(0.25));
    expect(o.scales!.x!.grid!.color).toBe(colors.grid);
    expect(o.scales!.y!.ticks!.color).toBe(colors.muted);
    expect(o.plugins!.legend!.display).toBe(false);
  });

  it('report a finished zoom or pan with the chart', () => {
    const seen: unknown[] = [];
    const o = seriesChartOptions({ colors, fmt, xTick: String, tooltip: {}, onRange: (c) => seen.push(c) });
    const zoom = o.plugins!.zoom!;
    zoom.zoom!.onZoomComplete!({ chart: 'zoomed' as never });
    zoom.pan!.onPanComplete!({ chart: 'panned' as never });
    expect(seen).toEqual(['zoomed', 'panned']);
    expect(seriesChartOptions({ colors, fmt, xTick: String, tooltip: {} }).plugins!.zoom!.zoom!.onZoomComplete).toBeUndefined();
  });
});

describe("a run's metric chart", () => {
  let axis: 'step' | 'epoch' | 'time' = 'step';
  const config = metricChartConfig({ name: 'loss', color: '#60a5fa', fmt, t, colors, axis: () => axis, onRange: () => {} });
  const o = config.options!;

  it('has the band, the line, its smoothed twin and the markers, in that order', () => {
    expect(config.data.datasets.map((d) => d.label)).toEqual(['min', 'max', 'loss', 'loss (smoothed)', 'nonFinite']);
    expect(o.normalized).toBe(true);
    expect(o.plugins!.annotation).toEqual({ annotations: {} });
  });

  it('follows the axis shown now in its ticks and tooltip titles', () => {
    axis = 'step';
    expect(xTickOf(o)(12_000)).toBe(fmt.compact(12_000));
    const title = tooltipOf(o).callbacks!.title as unknown as (items: TooltipItem<'line'>[]) => string;
    expect(title([item(2, { x: 1500 })])).toBe(`atStep ${JSON.stringify({ step: fmt.count(1500) })}`);
    axis = 'epoch';
    expect(xTickOf(o)(2.5)).toBe('2.5');
    expect(title([item(2, { x: 3 })])).toBe(`atEpoch ${JSON.stringify({ epoch: 3 })}`);
    expect(title([])).toBe('');
  });

  it('shows only the line, the smoothed line and the markers in its tooltip', () => {
    const filter = tooltipOf(o).filter as unknown as (i: TooltipItem<'line'>) => boolean;
    expect([0, 1, 2, 3, 4].map((i) => filter(item(i, {}, { dataset: {} })))).toEqual([false, false, true, true, true]);
    expect(filter(item(3, {}, { dataset: { hidden: true } }))).toBe(false);
    const label = tooltipOf(o).callbacks!.label as unknown as (i: TooltipItem<'line'>) => string;
    expect(label(item(4, { value: Number.NaN, count: 3 }))).toBe(` loss: ${fmt.metric(Number.NaN)} ×3`);
    expect(label(item(2, { y: 0.5, n: 1 }))).toBe(` loss: ${fmt.metric(0.5)}`);
    expect(label(item(2, { y: 0.5, n: 4, min: 0.1, max: 0.9 }))).toContain('spread');
  });

  it('shows a buffer with its smoothing, scale and annotations', () => {
    const chart = metricChartConfig({ name: 'loss', color: '#60a5fa', fmt, t, colors, axis: () => 'step', onRange: () => {} });
    const state = { data: chart.data as { datasets: ChartDataset<'line', AnyPoint[]>[] }, options: chart.options! };
    const line = [{ x: 1, y: 2, min: 1, max: 3, n: 2, seq: 1 }];
    const b = { lo: [{ x: 1, y: 1 }], hi: [{ x: 1, y: 3 }], line, ema: [{ x: 1, y: 2 }], markers: [], thinned: true };
    showSeries(state, b, { color: '#60a5fa', smoothing: 0, logScale: true, annotations: { a: {} } });
    const ds = state.data.datasets;
    expect(ds.map((d) => d.data)).toEqual([b.lo, b.hi, b.line, b.ema, b.markers]);
    expect(ds.map((d) => !!d.hidden)).toEqual([false, false, false, true, false]);
    expect(ds[2]!.borderColor).toBe('#60a5fa');
    expect(state.options.scales!.y!.type).toBe('logarithmic');
    expect((state.options.plugins as { annotation: object }).annotation).toEqual({ annotations: { a: {} } });
    showSeries(state, { ...b, thinned: false }, { color: '#60a5fa', smoothing: 0.6, logScale: false, annotations: {} });
    expect(ds.map((d) => !!d.hidden)).toEqual([true, true, false, false, false]);
    expect(ds[2]!.borderColor).toBe('rgba(96, 165, 250, 0.28)');
    expect(state.options.scales!.y!.type).toBe('linear');
  });
});

describe('status annotations', () => {
  const change = (seq: number, status: StatusChangeEntry['status'], previousStatus: StatusChangeEntry['status'] | null) =>
    ({ seq, status, previousStatus, currentEpoch: 0, timestamp: new Date(seq * 1000) }) as StatusChangeEntry;

  it('mark each change, not the start, where it can be placed, labelled in the page language', () => {
    const marks = statusAnnotations({
      statuses: [change(1, 'running', null), change(5, 'paused', 'running'), change(9, 'running', 'paused')],
      xOf: (sc) => (sc.seq === 9 ? null : sc.seq * 10),
      statusName: (s) => `«${s}»`,
    });
    expect(Object.keys(marks)).toEqual(['s5']);
    expect(marks.s5).toMatchObject({ value: 50, label: { content: '«paused»' }, borderColor: 'rgba(245, 158, 11, 0.8)' });
  });

  it("add an alert's marker when one is given", () => {
    const marks = statusAnnotations({ statuses: [], xOf: () => 0, statusName: String, alert: { at: 42, label: 'here' } });
    expect(marks.alert).toMatchObject({ value: 42, label: { content: 'here' } });
  });
});

describe('the compare chart', () => {
  it('smooths with a debiased EMA that keeps gaps', () => {
    expect(
      ema(
        [
          { x: 0, y: 4 },
          { x: 1, y: null },
          { x: 2, y: 4 },
        ],
        0.5,
      ),
    ).toEqual([
      { x: 0, y: 4 },
      { x: 1, y: null },
      { x: 2, y: 4 },
    ]);
    expect(
      ema(
        [
          { x: 0, y: 0 },
          { x: 1, y: 3 },
        ],
        0.5,
      )[1]!.y,
    ).toBeCloseTo(2);
  });

  it('lines runs up at their start on the time axis only', () => {
    const s = { x: [1000, 1500, 3000], y: [1, 2, 3] };
    expect(seriesPoints(s, 'time').map((p) => p.x)).toEqual([0, 500, 2000]);
    expect(seriesPoints(s, 'step').map((p) => p.x)).toEqual([1000, 1500, 3000]);
    expect(seriesPoints(undefined, 'time')).toEqual([]);
  });

  it('draws a smoothed line per run over its faint raw one, and counts runs once', () => {
    const runs = [
      { experimentId: 'a', color: '#60a5fa', series: { x: [1, 2], y: [1, 2] } },
      { experimentId: 'b', color: '#f472b6', series: undefined },
    ];
    const smoothed = compareDatasets(runs, { axis: 'step', smoothing: 0.6, rawLabel: 'raw' });
    expect(smoothed.map((d) => d.label)).toEqual(['a', 'a (raw)', 'b', 'b (raw)']);
    expect(smoothed[1]).toMatchObject({ raw: true, borderColor: 'rgba(96, 165, 250, 0.2)' });
    expect(drawnRuns(smoothed)).toBe(1);
    const plain = compareDatasets(runs, { axis: 'step', smoothing: 0, rawLabel: 'raw' });
    expect(plain.map((d) => d.label)).toEqual(['a', 'b']);
    expect(plain[0]!.data).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ]);
  });

  it('labels time since start as a duration, following the axis shown now', () => {
    let axis: 'step' | 'time' = 'time';
    const o = compareChartConfig({ colors, fmt, axis: () => axis }).options!;
    expect(xTickOf(o)(65_000)).toBe(fmt.duration(65_000));
    axis = 'step';
    expect(xTickOf(o)(20_000)).toBe(fmt.compact(20_000));
    const filter = tooltipOf(o).filter as unknown as (i: TooltipItem<'line'>) => boolean;
    expect(filter(item(0, {}, { dataset: { raw: true } }))).toBe(false);
    expect(filter(item(0, {}, { dataset: {} }))).toBe(true);
  });
});

describe('the rolling chart', () => {
  const series = [{ key: 'cpu', label: 'CPU', color: '#60a5fa', points: [{ x: 1, y: 50 }] }];

  it('fills a lone series, caps y where asked and labels in the caller units', () => {
    const config = rollingChartConfig({ series, colors, yMax: 100, format: (v) => `${v}%`, clock: () => '12:00' });
    expect(config.data.datasets[0]).toMatchObject({ label: 'CPU', fill: 'origin', data: series[0]!.points });
    expect(config.options!.scales!.y).toMatchObject({ min: 0, max: 100 });
    expect((config.options!.scales!.y!.ticks!.callback as (v: number) => string)(50)).toBe('50%');
    const two = rollingChartConfig({ series: [...series, { ...series[0]!, key: 'ram' }], colors, format: String, clock: String });
    expect(two.data.datasets.map((d) => d.fill)).toEqual([false, false]);
    expect(two.options!.scales!.y).not.toHaveProperty('max');
  });

  it('shows a fixed span where given, else the window ending now', () => {
    expect(visibleSpan({ min: 5, max: 9 }, 1000, 50_000)).toEqual({ min: 5, max: 9 });
    expect(visibleSpan(undefined, 1000, 50_000)).toEqual({ min: 49_000, max: 50_000 });
  });
});

describe('a theme change', () => {
  it('recolours every axis grid and tick label', () => {
    const o = seriesChartOptions({ colors, fmt, xTick: String, tooltip: {} });
    restyleScales(o as Parameters<typeof restyleScales>[0], light);
    expect([o.scales!.x!.grid!.color, o.scales!.y!.grid!.color]).toEqual([light.grid, light.grid]);
    expect([o.scales!.x!.ticks!.color, o.scales!.y!.ticks!.color]).toEqual([light.muted, light.muted]);
  });
});
