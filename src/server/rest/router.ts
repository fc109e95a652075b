/**
 * The REST shim's request handler for everything under /api/v1: finds the endpoint,
 * validates path, query and body with the endpoint's zod schemas (every bad field in one
 * 422), runs the handler and writes the older API's envelopes and error shape.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { z } from 'zod';
import type { Logger } from '../../lib/logger';
import type { Services } from '../services';
import { classifyError } from '../services/errors';
import { readJsonBody } from './body';
import { endpoints, experimentIdParam, type Endpoint, type EndpointName } from './endpoints';
import {
  HttpError,
  send,
  sendError,
  serviceHttpError,
  validationDetails,
  validationError,
  type ValidationDetail,
} from './envelope';
import { createHandlers, type HandlerDeps } from './handlers';

export interface RestOptions extends HandlerDeps {
  bodyLimitBytes: number;
  log: Logger;
}

interface Route {
  name: EndpointName;
  endpoint: Endpoint;
  pattern: RegExp;
}

// Table order decides ties: `/sessions` is listed before `/{experiment_id}`, so it is never shadowed.
const routes: Route[] = (Object.keys(endpoints) as EndpointName[]).map((name) => {
  const endpoint: Endpoint = endpoints[name];
  const source = endpoint.path.replace(/[.]/g, '\\.').replace('{experiment_id}', '([^/]+)');
  return { name, endpoint, pattern: new RegExp(`^${source}$`) };
});

function findRoute(method: string, path: string): { route: Route; param?: string } {
  let allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.endpoint.method === method) return { route, param: match[1] };
    allowed = [...allowed, route.endpoint.method];
  }
  if (allowed.length) throw new HttpError(405, 'Method Not Allowed', {}, { allow: allowed.join(', ') });
  throw new HttpError(404, 'Not Found');
}

function check<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
  details: ValidationDetail[],
): z.output<T> | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  details.push(...validationDetails(where, result.error));
  return undefined;
}

export function createRestHandler(services: Services, options: RestOptions) {
  const handlers = createHandlers(services, options);
  const log = options.log;

  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    try {
      const { route, param } = findRoute(req.method ?? 'GET', path);
      const { endpoint } = route;
      const details: ValidationDetail[] = [];

      let experimentId = '';
      if (param !== undefined) {
        let decoded: string;
        try {
          decoded = decodeURIComponent(param);
        } catch {
          throw new HttpError(400, 'Malformed percent-encoding in the path');
        }
        experimentId = check(experimentIdParam, { experiment_id: decoded }, 'path', details)?.experiment_id ?? '';
      }
      // An empty parameter (`?level=`) means "not given", as the older API's clients send it.
      const rawQuery = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
      const query = endpoint.query ? check(endpoint.query, rawQuery, 'query', details) : undefined;
      const body = endpoint.body
        ? check(endpoint.body, await readJsonBody(req, options.bodyLimitBytes), 'body', details)
        : undefined;
      if (details.length) throw validationError(details);

      // The route table and the handler map share their keys; the input was validated above.
      const handler = handlers[route.name] as (input: {
        experimentId: string;
        body: unknown;
        query: unknown;
      }) => Promise<unknown>;
      send(res, 200, await handler({ experimentId, body, query }));
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) return sendError(res, path, error);
      const known = classifyError(error);
      if (known) {
        // A 503 stored nothing; clients wait and retry (its Retry-After is added by send()).
        return sendError(res, path, serviceHttpError(known));
      }
      const requestId = randomUUID();
      log.error('REST request failed', { requestId, method: req.method, path, error });
      sendError(
        res,
        path,
        new HttpError(
          500,
          `Internal server error (request id ${requestId})`,
          { request_id: requestId },
          { 'x-request-id': requestId },
        ),
      );
    }
  };
}
