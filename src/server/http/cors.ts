/**
 * CORS for the API (REST and tRPC over HTTP), by the origin policy: an allowed page of
 * another origin may call it with the headers the API uses; credentials never cross
 * origins (no Access-Control-Allow-Credentials, and the cookie is ignored for such pages).
 */
import type http from 'node:http';
import { METHODS } from './requestTarget';

const ALLOWED_HEADERS = 'Authorization, X-API-Key, Content-Type, trpc-accept';
const EXPOSED_HEADERS = 'Retry-After, X-Request-Id';

/** Headers of every API answer: `Vary: Origin`, and the origin itself when it is allowed. */
export function setCorsHeaders(req: http.IncomingMessage, res: http.ServerResponse, originAllowed: boolean): void {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin && originAllowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
}

export const isPreflight = (req: http.IncomingMessage) =>
  req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;

/** Answers an `OPTIONS` request: 204 with what the API allows (403 for a preflight from a refused origin). */
export function answerOptions(req: http.IncomingMessage, res: http.ServerResponse, originAllowed: boolean): void {
  if (isPreflight(req) && !originAllowed) {
    const text = JSON.stringify({ error: true, message: 'Origin not allowed', status_code: 403, path: req.url });
    res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const headers: http.OutgoingHttpHeaders = { allow: METHODS, 'content-length': 0 };
  if (isPreflight(req)) {
    headers['access-control-allow-methods'] = METHODS;
    headers['access-control-allow-headers'] = ALLOWED_HEADERS;
    headers['access-control-max-age'] = '600';
  }
  res.writeHead(204, headers);
  res.end();
}
