import type http from 'node:http';

/**
 * Every 503 (the database is down, restarting or hung) tells the client when to try
 * again, on every door alike: such outages are mostly restarts, over in seconds.
 */
export const UNAVAILABLE_RETRY_AFTER_S = 1;

/** The headers an answer with this status carries besides its own: Retry-After on a 503. */
export function statusHeaders(status: number): Record<string, string> {
  return status === 503 ? { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) } : {};
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, serialized?: string): void {
  const text = serialized ?? JSON.stringify(body);
  res.writeHead(status, {
    ...statusHeaders(status),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
