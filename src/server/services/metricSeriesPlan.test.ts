/**
 * How `metric.series` chooses between blocks and points, and how it cuts buckets, without a
 * database: the planner sees only the block rollup's rows.
 */
import { describe, expect, it } from 'vitest';
import { mergeSeries } from './metricSeriesMerge';
import { BLOCK_SIZE, blocksPerBucket, planSeries, pointGrid, type BlockRow, type SeriesPlanInput } from './metricSeriesPlan';

/** A full block of `name` (256 points, all in range, x from 0 to 255 within it), values 1. */
function block(name: string, index: number, over: Partial<BlockRow> = {}): BlockRow {
  const first = index * BLOCK_SIZE;
  return {
    name,
    block: index,
    n: BLOCK_SIZE,
    all_n: BLOCK_SIZE,
    last_seq: first + BLOCK_SIZE - 1,
    x_sum: BLOCK_SIZE * (first + (BLOCK_SIZE - 1) / 2),
    x_min: first,
    x_max: first + BLOCK_SIZE - 1,
    v_sum: BLOCK_SIZE,
    v_min: 1,
    v_max: 1,
    nf: 0,
    nf_x: null,
    nf_value: null,
    ...over,
  };
}

const blocks = (name: string, count: number) => Array.from({ length: count }, (_, i) => block(name, i));

function plan(over: Partial<SeriesPlanInput>) {
  return planSeries({
    names: ['loss'],
    blocks: [],
    maxPoints: 100,
    blockThreshold: 1000,
    throughSeq: 1_000_000,
    from: null,
    to: null,
    ...over,
  });
}

describe('blocksPerBucket', () => {
  it('is 1 while the blocks fit', () => {
    expect(blocksPerBucket(0, 99, 100)).toBe(1);
  });

  it('fits aligned runs of blocks into maxPoints buckets, however the range starts', () => {
    for (const [first, last, maxPoints] of [
      [0, 999, 100],
      [7, 1006, 100],
      [13, 14, 1],
      [250, 4000, 37],
    ] as const) {
      const w = blocksPerBucket(first, last, maxPoints);
      expect(Math.floor(last / w) - Math.floor(first / w) + 1).toBeLessThanOrEqual(maxPoints);
      if (w > 1) expect(Math.floor(last / (w - 1)) - Math.floor(first / (w - 1)) + 1).toBeGreaterThan(maxPoints);
    }
  });
});

describe('planSeries', () => {
  it('reads a series without candidate blocks from nowhere', () => {
    const p = plan({ names: ['loss', 'acc'], blocks: blocks('loss', 50) });
    expect(p.pointSpans[1]).toEqual({ lo: null, hi: null });
  });

  it('reads a small series from its points, within its candidate blocks and throughSeq', () => {
    const p = plan({ blocks: [block('loss', 2), block('loss', 3)], throughSeq: 900 });
    expect(p.fromBlocks.size).toBe(0);
    expect(p.pointSpans).toEqual([{ lo: 2 * BLOCK_SIZE, hi: 900 }]);
    expect(p.partial).toEqual([]);
  });

  it('draws a series with more points than the threshold from blocks, when they give a quarter of the buckets', () => {
    const p = plan({ blocks: blocks('loss', 400), maxPoints: 100 });
    expect(p.pointSpans).toEqual([{ lo: null, hi: null }]);
    expect(p.fromBlocks.get('loss')?.width).toBe(4);
    expect(p.fromBlocks.get('loss')?.blocks).toHaveLength(400);
  });

  it('reads points when the blocks would give fewer than a quarter of the buckets asked for', () => {
    const p = plan({ blocks: blocks('loss', 24), maxPoints: 100, blockThreshold: 0 });
    expect(p.fromBlocks.size).toBe(0);
    expect(p.pointSpans).toEqual([{ lo: 0, hi: 24 * BLOCK_SIZE - 1 }]);
  });

  it('reads points at exactly the threshold', () => {
    const p = plan({ blocks: blocks('loss', 40), blockThreshold: 40 * BLOCK_SIZE });
    expect(p.fromBlocks.size).toBe(0);
  });

  it('recomputes the blocks a range cuts, that lack points on the axis, or that run past throughSeq', () => {
    const p = plan({
      blocks: [
        block('loss', 0, { x_min: 10 }),
        ...blocks('loss', 30).slice(1, 29),
        block('loss', 29, { last_seq: 40 * BLOCK_SIZE + 5 }),
        block('loss', 30, { n: 100 }),
        block('loss', 31, { x_max: 1e9 }),
      ],
      throughSeq: 40 * BLOCK_SIZE,
      from: 10,
      to: 31 * BLOCK_SIZE + 300,
      blockThreshold: 0,
    });
    expect(p.partial).toEqual([
      { name: 'loss', block: 29 },
      { name: 'loss', block: 30 },
      { name: 'loss', block: 31 },
    ]);
  });
});

describe('pointGrid', () => {
  it('cuts each span into at most maxPoints buckets of whole seqs and skips series without points', () => {
    const grid = pointGrid(
      [
        { name: 'loss', first_seq: 1, last_seq: 1000 },
        { name: 'acc', first_seq: null, last_seq: null },
        { name: 'lr', first_seq: 5, last_seq: 7 },
      ],
      300,
    );
    expect(grid).toEqual([
      { name: 'loss', lo: 1, hi: 1000, width: 4 },
      { name: 'lr', lo: 5, hi: 7, width: 1 },
    ]);
  });
});

describe('mergeSeries', () => {
  const end = {
    name: 'loss',
    first_seq: null,
    last_seq: null,
    seq: 1023,
    epoch: 1,
    step: 1023,
    value: 1,
    timestamp: new Date(0),
    x: 1023,
  };

  it('merges blocks into buckets, taking recomputed partial blocks and dropping empty ones', () => {
    const p = plan({ blocks: blocks('loss', 4), maxPoints: 2, blockThreshold: 0, throughSeq: 1023 });
    expect(p.fromBlocks.get('loss')?.width).toBe(2);
    // Block 1 recomputed with a NaN and a low value; block 3 has no point in range.
    const partial = [
      { name: 'loss', block: 1 },
      { name: 'loss', block: 3 },
    ];
    const recomputed = {
      ...block('loss', 1),
      n: 10,
      x_sum: 10 * 300,
      v_sum: -9,
      v_min: -9,
      v_max: 0,
      nf: 1,
      nf_x: 301,
      nf_value: Number.NaN,
    };
    const [series] = mergeSeries(['loss', 'acc'], [end], [], { fromBlocks: p.fromBlocks, partial }, [recomputed]);
    expect(series).toEqual({
      name: 'loss',
      x: [(block('loss', 0).x_sum + 3000) / 266, block('loss', 2).x_sum / 256],
      seq: [recomputed.last_seq, 767],
      y: [(256 - 9) / 265, 1],
      min: [-9, 1],
      max: [1, 1],
      n: [266, 256],
      nonFinite: [{ x: 301, value: Number.NaN, count: 1 }],
      last: { x: 1023, value: 1, epoch: 1, step: 1023, seq: 1023, timestamp: new Date(0) },
    });
  });

  it('leaves out names without any point', () => {
    expect(mergeSeries(['acc'], [], [], { fromBlocks: new Map(), partial: [] }, [])).toEqual([]);
  });
});
