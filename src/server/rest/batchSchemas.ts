/**
 * Wire schemas of the REST doors a long-lived client uses (the Python client): the ordered
 * batch of a producer's events and the long-poll for control requests. Field rules come
 * from src/shared/schemas, as for the other endpoints; no server code is imported.
 */
import { z } from 'zod';
import { LIMITS } from '../../shared/limits';
import { CONTROL_ACTIONS } from '../../shared/schemas/control';
import { logEventInput, metricsEventInput, producer } from '../../shared/schemas/events';
import { setStatusInput } from '../../shared/schemas/session';

const at = metricsEventInput.shape.timestamp.describe('When it happened (ISO-8601); the arrival time when omitted');

/** The same fields as the single-event endpoints' bodies, with a type and a time. */
export const batchEvent = z.discriminatedUnion('type', [
  logEventInput.pick({ level: true, message: true, source: true }).extend({ type: z.literal('log'), timestamp: at }),
  z.object({
    type: z.literal('metrics'),
    epoch: metricsEventInput.shape.epoch,
    metrics: metricsEventInput.shape.values.describe('{name: number}; NaN, Infinity and -Infinity allowed'),
    step: metricsEventInput.shape.step,
    timestamp: at,
  }),
  setStatusInput.pick({ status: true, message: true }).extend({ type: z.literal('status') }),
]);

export const ingestBatchBody = z.object({
  producer_id: producer.shape.id.describe('Names the sending client; each (producer, number) is stored once'),
  first_seq: z
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER - LIMITS.eventsPerBatch)
    .describe("The producer's number of the first event; the others follow it, one apart"),
  events: z.array(batchEvent).min(1).max(LIMITS.eventsPerBatch).describe('Log, metrics and status events, in order'),
});

export const ingestBatchAnswer = z.object({
  stored: z.number().int().describe('Events stored by this call'),
  duplicates: z.number().int().describe('Events this producer had sent already (a retry), skipped'),
  last_seq: z.number().int().nullable().describe("The session's sequence number of the last event stored"),
});

export const controlQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('The id of the last control request received'),
  wait: z.coerce.number().min(0).max(30).default(20).describe('Seconds to wait for one when none is pending'),
});

export const controlCommand = z.object({
  id: z.number().int(),
  action: z.enum(CONTROL_ACTIONS),
  message: z.string().nullable(),
  requested_at: z.iso.datetime(),
});
