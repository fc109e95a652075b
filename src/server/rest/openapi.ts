/**
 * The OpenAPI 3.1 document of the REST shim, generated from the endpoint table and its zod
 * schemas (zod's own JSON Schema output, which is OpenAPI 3.1's dialect).
 */
import { z } from 'zod';
import { endpoints, healthAnswer, type Endpoint } from './endpoints';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  // `unrepresentable: 'any'` lets metricValue (a custom number check) speak through its meta type.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error', 'message', 'status_code', 'path'],
  properties: {
    error: { const: true },
    message: { type: 'string' },
    status_code: { type: 'integer' },
    path: { type: 'string' },
    request_id: { type: 'string', description: 'On 500 only: the id the server logged the fault under' },
    details: {
      type: 'array',
      description: 'On 422 only: every bad field',
      items: {
        type: 'object',
        required: ['loc', 'msg', 'type'],
        properties: {
          loc: { type: 'array', items: { type: ['string', 'integer'] } },
          msg: { type: 'string' },
          type: { type: 'string' },
        },
      },
    },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed JSON',
  404: 'No such session',
  413: 'Body over the size limit',
  422: 'Validation error: every bad field in `details`',
  500: 'Internal fault, logged under `request_id`',
};

const errorResponse = (status: number) => ({
  description: ERROR_TEXT[status] ?? 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function operation(e: Endpoint) {
  const parameters: JsonSchema[] = [];
  if (e.path.includes('{experiment_id}')) {
    parameters.push({
      name: 'experiment_id',
      in: 'path',
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 128 },
    });
  }
  if (e.query) {
    const q = toSchema(e.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, description, schema: rest });
    }
  }
  const validated = e.body || e.query || e.path.includes('{');
  const codes = [...new Set([...e.errors, ...(validated ? [422] : []), 500])].sort((a, b) => a - b);
  return {
    operationId: e.operationId,
    summary: e.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(e.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(e.body, 'input') } } } }
      : {}),
    responses: {
      200: { description: 'OK', content: { 'application/json': { schema: toSchema(e.response, 'output') } } },
      ...Object.fromEntries(codes.map((c) => [c, errorResponse(c)])),
    },
    ...(e.example ? { 'x-example': e.example } : {}),
  };
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Liveness: 200 when the database answers, 503 otherwise',
        responses: {
          200: { description: 'OK', content: { 'application/json': { schema: toSchema(healthAnswer, 'output') } } },
          503: { description: 'Database unavailable' },
        },
      },
    },
  };
  for (const e of Object.values(endpoints) as Endpoint[]) {
    (paths[e.path] ??= {})[e.method.toLowerCase()] = operation(e);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'CV Studio Monitor: REST API (compatible with the older CV Studio clients)',
      version: '1.0.0',
      description:
        'JSON bodies may contain NaN, Infinity and -Infinity; answers write them back the same way. Plain WebSocket streams: /api/v1/ws/system and /api/v1/ws/training/{experiment_id}.',
    },
    servers: [{ url: 'http://localhost:8000' }],
    paths,
    components: { schemas: { Error: errorSchema } },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
