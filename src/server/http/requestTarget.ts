/**
 * The request target, in the one form the routes understand (a path). `OPTIONS *` asks
 * about the server as a whole; an absolute-form target (`GET http://host/path`) is a path
 * whose authority replaces Host (RFC 9112 §3.2.2), so the Host rules judge it and nothing
 * ever redirects to it.
 */
import type http from 'node:http';

export type Target = 'path' | 'server-options' | 'bad';

/** Rewrites an absolute-form target in place; says what kind of target the request has. */
export function normaliseTarget(req: http.IncomingMessage): Target {
  const target = req.url ?? '/';
  if (target === '*') return req.method === 'OPTIONS' ? 'server-options' : 'bad';
  if (target.startsWith('/')) return target.startsWith('//') ? 'bad' : 'path';
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'bad';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return 'bad';
  req.headers.host = url.host;
  req.url = `${url.pathname}${url.search}`;
  return 'path';
}

/** The methods this server answers, for `Allow` and CORS. */
export const METHODS = 'GET, HEAD, POST, PUT, DELETE, OPTIONS';
