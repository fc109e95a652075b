/**
 * The one origin policy, used by every door (REST, tRPC over HTTP, both kinds of socket).
 *
 * A request without `Origin` is not from a browser page (curl, SDKs, the collector) and is
 * judged by its key alone. A browser's `Origin` is allowed when it is the app's own (it names
 * the host the request was sent to), one of `ALLOWED_ORIGINS`, or, while the app runs open
 * on loopback, a loopback origin on any port: a page on `localhost:3000` is the user's own
 * dev server, and a rebinding page never has a loopback origin.
 */
import type http from 'node:http';
import { isLoopback } from './loopback';

export interface OriginPolicy {
  /** The request's Origin may use the API (true when it sends none). */
  allows(req: http.IncomingMessage, open: boolean): boolean;
  /** The request comes from a page of another origin (its cookie is not honoured). */
  crossOrigin(req: http.IncomingMessage): boolean;
}

function parseOrigin(origin: string): URL | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const own = (req: http.IncomingMessage, url: URL) => url.host === req.headers.host?.toLowerCase();

/** The request comes from a page of another origin than the app's own (whatever the policy allows). */
export function isCrossOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const url = parseOrigin(origin);
  return !url || !own(req, url);
}

export function createOriginPolicy(allowedOrigins: readonly string[]): OriginPolicy {
  const allowed = new Set(allowedOrigins.map((o) => parseOrigin(o)?.origin ?? o));
  return {
    allows(req, open) {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      const url = parseOrigin(origin);
      if (!url) return false;
      return own(req, url) || allowed.has(url.origin) || (open && isLoopback(url.hostname));
    },
    crossOrigin: isCrossOrigin,
  };
}
