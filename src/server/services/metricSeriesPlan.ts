/**
 * How `metric.series` draws each series, decided from the block rollup alone: merged from
 * whole blocks (raw points read only for the blocks a range cuts or that are still filling),
 * or read from points in buckets of seqs. Pure, so the choice is testable without a database.
 */

/** Seqs per metric_block row: block = seq >> 8, as the metric_blocks migration has it. */
export const BLOCK_SIZE = 256;

/** One block's aggregates on one axis, over the points of the block that are in range. */
export interface BlockAgg {
  name: string;
  block: number;
  /** Points in range (those with an x on the axis). */
  n: number;
  last_seq: number;
  x_sum: number;
  v_sum: number | null;
  v_min: number | null;
  v_max: number | null;
  nf: number;
  nf_x: number | null;
  nf_value: number | null;
}

/** A metric_block row as read for one axis, with what it takes to tell whether it lies in range. */
export interface BlockRow extends BlockAgg {
  all_n: number;
  x_min: number;
  x_max: number;
}

/** A series merged from its blocks, `width` blocks to a bucket. */
export interface BlockSeries {
  blocks: BlockRow[];
  width: number;
}

/** Seqs to read points between; null where the series has no block in range or is drawn from blocks. */
export interface SeqSpan {
  lo: number | null;
  hi: number | null;
}

export interface SeriesPlan {
  fromBlocks: Map<string, BlockSeries>;
  /** Per name, in the order of the names asked for. */
  pointSpans: SeqSpan[];
  /** Blocks of `fromBlocks` that a range cuts or that hold points after throughSeq: aggregated from their points. */
  partial: { name: string; block: number }[];
}

export interface SeriesPlanInput {
  names: string[];
  /** The candidate blocks (some point has an x in range), ordered by name and block. */
  blocks: BlockRow[];
  maxPoints: number;
  /** More points in range than this and a series may be drawn from blocks. */
  blockThreshold: number;
  throughSeq: number;
  from: number | null;
  to: number | null;
}

/**
 * Blocks per bucket when a series is drawn from blocks: buckets are aligned runs of this many
 * blocks (bucket = floor(block / w)), w the smallest that fits the blocks from `firstBlock`
 * to `lastBlock` into `maxPoints` buckets.
 */
export function blocksPerBucket(firstBlock: number, lastBlock: number, maxPoints: number): number {
  let w = Math.max(1, Math.ceil((lastBlock - firstBlock + 1) / maxPoints));
  while (Math.floor(lastBlock / w) - Math.floor(firstBlock / w) + 1 > maxPoints) w++;
  return w;
}

/** Per series: merged from blocks, or read from points between the candidate blocks' seqs. */
export function planSeries(input: SeriesPlanInput): SeriesPlan {
  const blocksOf = new Map<string, BlockRow[]>();
  for (const b of input.blocks) {
    const list = blocksOf.get(b.name);
    if (list) list.push(b);
    else blocksOf.set(b.name, [b]);
  }
  const fromBlocks = new Map<string, BlockSeries>();
  const pointSpans = input.names.map((name): SeqSpan => {
    const blocks = blocksOf.get(name);
    if (!blocks) return { lo: null, hi: null };
    const first = blocks[0]!.block;
    const last = blocks.at(-1)!.block;
    const points = blocks.reduce((sum, b) => sum + b.n, 0);
    // Blocks are used when they give at least a quarter of the buckets asked for (each keeps
    // its min and max): below that, points are read, at most 256 x maxPoints / 4 of them.
    if (points > input.blockThreshold && last - first + 1 >= input.maxPoints / 4) {
      fromBlocks.set(name, { blocks, width: blocksPerBucket(first, last, input.maxPoints) });
      return { lo: null, hi: null };
    }
    return { lo: first * BLOCK_SIZE, hi: Math.min(input.throughSeq, (last + 1) * BLOCK_SIZE - 1) };
  });
  const { throughSeq, from, to } = input;
  const partial: SeriesPlan['partial'] = [];
  for (const [name, { blocks }] of fromBlocks) {
    for (const b of blocks) {
      const whole =
        b.n === b.all_n && b.last_seq <= throughSeq && (from === null || b.x_min >= from) && (to === null || b.x_max <= to);
      if (!whole) partial.push({ name, block: b.block });
    }
  }
  return { fromBlocks, pointSpans, partial };
}

/** A series read from points: buckets of `width` seqs from `lo` to `hi`. */
export interface PointGrid {
  name: string;
  lo: number;
  hi: number;
  width: number;
}

/**
 * Bucket widths for the series read from points, from the seq span of their points in range
 * (null where none is): at most `maxPoints` buckets each.
 */
export function pointGrid(
  spans: { name: string; first_seq: number | null; last_seq: number | null }[],
  maxPoints: number,
): PointGrid[] {
  return spans.flatMap((r) => {
    if (r.first_seq === null || r.last_seq === null) return [];
    const width = Math.max(1, Math.ceil((r.last_seq - r.first_seq + 1) / maxPoints));
    return [{ name: r.name, lo: r.first_seq, hi: r.last_seq, width }];
  });
}
