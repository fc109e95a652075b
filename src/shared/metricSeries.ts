/** What `metric.series` returns: each metric bucketed for drawing, spikes and NaN kept. */
import type { SeriesAxis } from './schemas/queries';

export interface MetricSeries {
  name: string;
  /** Per bucket: the mean x of its points. */
  x: number[];
  /** Per bucket: the seq of its last point (where a status change falls on a step axis). */
  seq: number[];
  /** Per bucket: the mean of its finite values; null where it held only NaN or ±Infinity. */
  y: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
  /** Per bucket: how many points it holds (1 everywhere means the series is not thinned). */
  n: number[];
  /** Where NaN or ±Infinity were reported: the first such x of each bucket and its value. */
  nonFinite: { x: number; value: number; count: number }[];
  /** The latest point of the series, exact. */
  last: { x: number | null; value: number; epoch: number; step: number | null; seq: number; timestamp: Date } | null;
}

export interface MetricSeriesResult {
  experimentId: string;
  x: SeriesAxis;
  /** The range the buckets cover. */
  from: number | null;
  to: number | null;
  /** Every point with seq up to this one is included; live events continue after it. */
  throughSeq: number;
  series: MetricSeries[];
}
