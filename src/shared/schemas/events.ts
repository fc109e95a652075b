import { z } from 'zod';
import { LIMITS } from '../limits';
import { epoch, eventTime, experimentId, logLevel, metricValues, step, text } from './common';

export const logEventInput = z.object({
  level: logLevel.default('INFO'),
  message: text(LIMITS.logMessageLength),
  source: text(LIMITS.logSourceLength).default('trainer'),
  timestamp: eventTime.optional(),
});
export type LogEventInput = z.infer<typeof logEventInput>;

export const metricsEventInput = z.object({
  epoch,
  step: step.nullish(),
  values: metricValues,
  timestamp: eventTime.optional(),
});
export type MetricsEventInput = z.infer<typeof metricsEventInput>;

/**
 * A producer (one SDK run) numbers its events 1, 2, 3...; the server stores each
 * (session, producer, seq) once, so a retried batch never makes a duplicate.
 */
export const producer = z.object({
  id: z.string().min(1).max(64),
});

const producerSeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const ingestEvent = z.discriminatedUnion('type', [
  logEventInput.extend({ type: z.literal('log'), producerSeq: producerSeq.optional() }),
  metricsEventInput.extend({ type: z.literal('metrics'), producerSeq: producerSeq.optional() }),
]);
export type IngestEvent = z.infer<typeof ingestEvent>;

export const ingestBatchInput = z
  .object({
    experimentId,
    producer: producer.optional(),
    events: z.array(ingestEvent).min(1).max(LIMITS.eventsPerBatch),
  })
  .superRefine((batch, ctx) => {
    if (!batch.producer) return;
    let last = 0;
    batch.events.forEach((event, i) => {
      if (event.producerSeq === undefined || event.producerSeq <= last) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'producerSeq'],
          message: 'with a producer, every event needs a producerSeq, increasing within the batch',
        });
      }
      last = event.producerSeq ?? last;
    });
  });
export type IngestBatchInput = z.infer<typeof ingestBatchInput>;

export const appendLogInput = logEventInput.extend({ experimentId });
export const appendLogBatchInput = z.object({
  experimentId,
  entries: z.array(logEventInput).min(1).max(LIMITS.eventsPerBatch),
});

export const appendMetricsInput = metricsEventInput.extend({ experimentId });
export const appendMetricsBatchInput = z.object({
  experimentId,
  reports: z.array(metricsEventInput).min(1).max(LIMITS.eventsPerBatch),
});
