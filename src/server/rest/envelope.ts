/**
 * The answers of the REST shim: success envelopes, the error shape of the older API
 * ({"error": true, "message", "status_code", "path"}) and its 422 `details` list.
 */
import type http from 'node:http';
import type { z } from 'zod';
import type { ServiceError, ServiceErrorCode } from '../services/errors';
import { statusHeaders } from '../http/respond';
import { stringifyLenientJson } from '../wire/lenientJson';

/** An answer other than 200, raised anywhere in a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The shim's status for each kind of classified error (services/errors.ts). */
const SERVICE_STATUS: Record<ServiceErrorCode, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
  UNAVAILABLE: 503,
};

export const serviceHttpError = (error: ServiceError) => new HttpError(SERVICE_STATUS[error.code], error.message);

export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Every bad field of a zod error, named by where it came from ("body", "query", "path"). */
export function validationDetails(where: string, error: z.ZodError): ValidationDetail[] {
  return error.issues.map((issue) => {
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return {
      loc: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      msg: missing ? 'Field required' : issue.message,
      type: missing ? 'missing' : issue.code,
    };
  });
}

export const validationError = (details: ValidationDetail[]) => new HttpError(422, 'Validation error', { details });

/** Writes a body with the lenient writer (NaN and ±Infinity stay tokens on this surface). */
export function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = stringifyLenientJson(body);
  res.writeHead(status, {
    ...statusHeaders(status),
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendError(res: http.ServerResponse, path: string, error: HttpError): void {
  send(
    res,
    error.status,
    { error: true, message: error.message, status_code: error.status, path, ...error.extra },
    error.headers,
  );
}

export interface Success {
  message?: string;
  data?: unknown;
  count?: number;
}

export const ok = (success: Success) => ({ success: true, ...success });
