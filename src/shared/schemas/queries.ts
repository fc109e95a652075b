import { z } from 'zod';
import { experimentId, logLevel, metricName } from './common';

export const listLogsInput = z.object({
  experimentId,
  /** Exactly this level. */
  level: logLevel.optional(),
  /** This level and above. */
  minLevel: logLevel.optional(),
  /** Case-insensitive substring of the message. */
  search: z.string().min(1).max(256).optional(),
  /** The last `limit` matching entries (oldest first); 0 means as many as allowed. */
  limit: z.number().int().min(0).max(10_000).default(100),
  /** Only entries before this sequence number (to page backwards). */
  beforeSeq: z.number().int().min(1).optional(),
  /** Only entries after this sequence number. */
  afterSeq: z.number().int().min(0).optional(),
});
export type ListLogsInput = z.input<typeof listLogsInput>;

export const listMetricsInput = z.object({
  experimentId,
  /** The last `limit` reports, oldest first; 0 means as many as allowed. */
  limit: z.number().int().min(0).max(10_000).default(100),
  names: z.array(metricName).max(100).optional(),
});
export type ListMetricsInput = z.input<typeof listMetricsInput>;

/** What a metric series is drawn against: the trainer's step, its epoch, or wall time (ms). */
export const SERIES_AXES = ['step', 'epoch', 'time'] as const;
export type SeriesAxis = (typeof SERIES_AXES)[number];

export const metricSeriesInput = z.object({
  experimentId,
  /** The metrics to read; all of the session's when omitted. */
  names: z.array(metricName).min(1).max(100).optional(),
  x: z.enum(SERIES_AXES).default('step'),
  /** The visible range on the x axis (inclusive); the whole run when omitted. */
  from: z.number().finite().optional(),
  to: z.number().finite().optional(),
  /** At most this many buckets per series; each keeps its mean, min and max. */
  maxPoints: z.number().int().min(10).max(10_000).default(2000),
});
export type MetricSeriesInput = z.input<typeof metricSeriesInput>;
