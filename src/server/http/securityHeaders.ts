import { randomBytes } from 'node:crypto';
import type http from 'node:http';

/**
 * Standard hardening headers on every answer, pages and API alike. The content security
 * policy restricts framing, plugins, base URLs and scripts: API answers run none, and a
 * page runs only the scripts carrying its per-request nonce (Next.js puts it on its own
 * inline bootstrap scripts; 'strict-dynamic' lets those load the app's chunks).
 */
const HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
];

const BASE_POLICY = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

export function setSecurityHeaders(res: http.ServerResponse): void {
  for (const [name, value] of HEADERS) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', `${BASE_POLICY}; script-src 'none'`);
}

/** Request header through which the layout learns the page's nonce (read with `headers()`). */
export const NONCE_HEADER = 'x-nonce';

/**
 * A page's policy with a fresh nonce. Next.js reads the nonce from the request's own
 * `Content-Security-Policy` header (as it does when its proxy sets one), so it is set there
 * too. Development adds 'unsafe-eval', which React's dev build needs.
 */
export function setPagePolicy(req: http.IncomingMessage, res: http.ServerResponse, dev: boolean): void {
  const nonce = randomBytes(16).toString('base64');
  const policy = `${BASE_POLICY}; script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`;
  req.headers['content-security-policy'] = policy;
  req.headers[NONCE_HEADER] = nonce;
  res.setHeader('Content-Security-Policy', policy);
}
