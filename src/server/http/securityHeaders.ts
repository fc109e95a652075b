import type http from 'node:http';

/**
 * Standard hardening headers on every answer, pages and API alike. The content security
 * policy restricts framing, plugins and base URLs; scripts are left to Next.js, whose pages
 * carry inline bootstrap scripts.
 */
const HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
  ['Content-Security-Policy', "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'"],
];

export function setSecurityHeaders(res: http.ServerResponse): void {
  for (const [name, value] of HEADERS) res.setHeader(name, value);
}
