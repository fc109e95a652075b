/**
 * The REST shim's endpoints as data: method, path, the zod schemas of body, query and
 * answer, and an example. The router validates with these schemas and the OpenAPI
 * document is generated from them, so the two cannot disagree. Field rules come from
 * src/shared/schemas; only the snake_case wire names of the older API are set here.
 *
 * No server code is imported, so the web app's API page can read this file too.
 */
import { z } from 'zod';
import { metricValue, SESSION_STATUSES, LOG_LEVELS } from '../../shared/schemas/common';
import { logEventInput, metricsEventInput } from '../../shared/schemas/events';
import { listLogsInput, listMetricsInput } from '../../shared/schemas/queries';
import { createSessionInput, sessionKey, setStatusInput } from '../../shared/schemas/session';
import { controlCommand, controlQuery, ingestBatchAnswer, ingestBatchBody } from './batchSchemas';

/** Query strings carry text; a whole number is read as one before the field's own rule runs. */
const queryInt = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), schema);

export const experimentIdParam = z.object({ experiment_id: sessionKey.shape.experimentId });

export const createSessionBody = z.object({
  experiment_id: createSessionInput.shape.experimentId,
  config: createSessionInput.shape.config.describe('Training config; {} for a new session, kept as stored when omitted'),
  total_epochs: createSessionInput.shape.totalEpochs.describe('0 for a new session, kept as stored when omitted'),
  host: createSessionInput.shape.host.describe('The host the trainer runs on, whose load the run page shows'),
});

export const setStatusBody = z.object({
  status: setStatusInput.shape.status,
  message: setStatusInput.shape.message,
});

export const appendLogBody = logEventInput.pick({ level: true, message: true, source: true });

export const appendMetricsBody = z.object({
  epoch: metricsEventInput.shape.epoch,
  metrics: metricsEventInput.shape.values.describe('{name: number}; NaN, Infinity and -Infinity allowed'),
  step: metricsEventInput.shape.step,
});

export const listLogsQuery = z.object({
  level: listLogsInput.shape.level.describe('Only this level'),
  min_level: listLogsInput.shape.minLevel.describe('This level and above'),
  limit: queryInt(listLogsInput.shape.limit).describe('The last `limit` entries, oldest first; 0 = all (at most 10000)'),
});

export const listMetricsQuery = z.object({
  limit: queryInt(listMetricsInput.shape.limit).describe('The last `limit` reports, oldest first; 0 = all (at most 10000)'),
});

// What the endpoints answer, for the document (../wire/mappers.ts builds these shapes).
const timestamp = z.iso.datetime().describe('ISO-8601 UTC with Z');

export const sessionInfo = z.object({
  experiment_id: z.string(),
  status: z.enum(SESSION_STATUSES),
  config: z.record(z.string(), z.unknown()),
  created_at: timestamp,
  started_at: timestamp.nullable(),
  ended_at: timestamp.nullable(),
  current_epoch: z.number().int(),
  total_epochs: z.number().int(),
  log_count: z.number().int(),
  metrics_count: z.number().int(),
});

export const logEntry = z.object({
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  source: z.string(),
  timestamp,
  seq: z.number().int().describe("Position in the session's event stream"),
});

export const metricsRow = z
  .object({ epoch: z.number().int(), timestamp, step: z.number().int().optional() })
  .catchall(metricValue)
  .describe('epoch, timestamp, then one field per metric');

export const wsStats = z.object({
  active_connections: z.number().int(),
  subscribers: z.object({ system: z.number().int(), training: z.number().int(), training_tasks: z.number().int() }),
});

export const healthAnswer = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.string(),
  uptime_s: z.number().int(),
});

const envelope = <T extends z.ZodType>(data: T, withCount = false) =>
  z.object({
    success: z.literal(true),
    message: z.string().optional(),
    data,
    ...(withCount ? { count: z.number().int() } : {}),
  });

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Endpoint<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  /** The endpoint's key in the table below. */
  operationId: string;
  method: Method;
  /** OpenAPI form: `{experiment_id}` marks the one path parameter. */
  path: string;
  summary: string;
  body?: B;
  query?: Q;
  response: z.ZodType;
  /** Status codes other than 200 and 422 this endpoint answers on purpose. */
  errors: number[];
  example?: { experimentId?: string; body?: unknown; query?: string };
}

type Definition<B extends z.ZodType, Q extends z.ZodType> = Omit<Endpoint<B, Q>, 'operationId'>;

const define = <B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(e: Definition<B, Q>) => e;

const LOGS = '/api/v1/training/logs';
const BY_ID = `${LOGS}/{experiment_id}`;
const EXAMPLE_RUN = 'yolov8n-coco-42';

/**
 * An endpoint on one run: answers 404 when the run does not exist, and with a body also
 * 400 (malformed) and 413 (too large). Its example names the same run as the others.
 */
const onRun = <B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(
  e: Omit<Definition<B, Q>, 'errors' | 'example'> & { example?: { body?: unknown; query?: string } },
) => define<B, Q>({ ...e, errors: e.body ? [400, 404, 413] : [404], example: { experimentId: EXAMPLE_RUN, ...e.example } });

/** The table's keys are the operation ids, so the two cannot drift apart. */
function named<T extends Record<string, Definition<z.ZodType, z.ZodType>>>(table: T) {
  const entries = Object.entries(table).map(([operationId, e]) => [operationId, { operationId, ...e }]);
  return Object.fromEntries(entries) as { [K in keyof T]: T[K] & { operationId: K } };
}

export const endpoints = named({
  createSession: define({
    method: 'POST',
    path: `${LOGS}/session`,
    summary: 'Create a training session, or return the existing one (config and total_epochs updated where given)',
    body: createSessionBody,
    response: envelope(sessionInfo.extend({ created: z.boolean() })),
    errors: [400, 413],
    example: { body: { experiment_id: EXAMPLE_RUN, config: { lr: 0.01, batch: 16 }, total_epochs: 100 } },
  }),
  listSessions: define({
    method: 'GET',
    path: `${LOGS}/sessions`,
    summary: 'Every training session, newest first',
    response: envelope(z.array(sessionInfo), true),
    errors: [],
  }),
  setStatus: onRun({
    method: 'PUT',
    path: `${BY_ID}/status`,
    summary: 'Change the status of a session (pushes status_change)',
    body: setStatusBody,
    response: envelope(sessionInfo),
    example: { body: { status: 'running', message: 'epoch 1 started' } },
  }),
  appendLog: onRun({
    method: 'POST',
    path: `${BY_ID}/log`,
    summary: 'Append a log line (pushes log)',
    body: appendLogBody,
    response: envelope(logEntry),
    example: { body: { level: 'INFO', message: 'loading COCO', source: 'trainer' } },
  }),
  appendMetrics: onRun({
    method: 'POST',
    path: `${BY_ID}/metrics`,
    summary: 'Append a metric report (pushes metrics_update, sets current_epoch)',
    body: appendMetricsBody,
    response: envelope(metricsRow),
    example: { body: { epoch: 1, step: 1200, metrics: { train_loss: 0.41, mAP50: 0.32 } } },
  }),
  ingestBatch: onRun({
    method: 'POST',
    path: `${BY_ID}/batch`,
    summary:
      "A producer's log, metrics and status events, in order, numbered from first_seq; a retried batch is stored once (pushes each)",
    body: ingestBatchBody,
    response: envelope(ingestBatchAnswer),
    example: {
      body: {
        producer_id: '3f1c8a52-trainer',
        first_seq: 1,
        events: [
          { type: 'status', status: 'running' },
          { type: 'log', level: 'INFO', message: 'epoch 1', source: 'trainer' },
          { type: 'metrics', epoch: 1, step: 1200, metrics: { train_loss: 0.41 } },
        ],
      },
    },
  }),
  pollControl: onRun({
    method: 'GET',
    path: `${BY_ID}/control`,
    summary:
      "Long-poll: the run's pending pause, resume and stop requests after `after`, waiting up to `wait` seconds for one; counts as a heartbeat",
    query: controlQuery,
    response: envelope(z.array(controlCommand), true),
    example: { query: 'after=0&wait=20' },
  }),
  listMetrics: onRun({
    method: 'GET',
    path: `${BY_ID}/metrics`,
    summary: 'The last metric reports of a session, oldest first, one row per report',
    query: listMetricsQuery,
    response: envelope(z.array(metricsRow), true),
    example: { query: 'limit=100' },
  }),
  sessionInfo: onRun({ method: 'GET', path: `${BY_ID}/info`, summary: 'One training session', response: envelope(sessionInfo) }),
  listLogs: onRun({
    method: 'GET',
    path: BY_ID,
    summary: 'The last log lines of a session, oldest first',
    query: listLogsQuery,
    response: envelope(z.array(logEntry), true),
    example: { query: 'min_level=WARNING&limit=100' },
  }),
  deleteSession: onRun({
    method: 'DELETE',
    path: BY_ID,
    summary: 'Delete a session with its logs, metrics and events',
    response: z.object({ success: z.literal(true), message: z.string() }),
  }),
  wsStats: define({
    method: 'GET',
    path: '/api/v1/ws/stats',
    summary: 'Open plain WebSocket connections and their subscriptions (no envelope)',
    response: wsStats,
    errors: [],
  }),
  openapi: define({
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'This document',
    response: z.record(z.string(), z.unknown()),
    errors: [],
  }),
});

export type EndpointName = keyof typeof endpoints;
