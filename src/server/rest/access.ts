/**
 * Access to the REST shim: GET needs the read scope, POST and PUT write, DELETE admin
 * (while the app runs open everything is allowed). Answers in the shim's error shape.
 */
import type http from 'node:http';
import { allows, authenticate, AuthThrottled, keylessRefused, type AuthDeps } from '../auth/authenticate';
import type { Scope } from '../auth/keys';
import { takeRequest, type RateLimiter } from '../auth/rateLimit';
import { isCrossOrigin } from '../http/originPolicy';
import { databaseUnavailable } from '../services/errors';
import { HttpError, sendError, serviceHttpError } from './envelope';

export interface AccessDeps extends AuthDeps {
  limiter: RateLimiter;
}

const SCOPE_BY_METHOD: Record<string, Scope> = { GET: 'read', HEAD: 'read', POST: 'write', PUT: 'write', DELETE: 'admin' };

const throttled = (wait: number, message: string) => new HttpError(429, message, {}, { 'retry-after': String(wait) });

/** True when the request may go on; otherwise the answer has been sent. */
export async function accessForRest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  deps: AccessDeps,
): Promise<boolean> {
  let auth;
  try {
    auth = await authenticate(req, deps, { crossOrigin: isCrossOrigin(req) });
  } catch (error) {
    // Keys live in the database: failing to read them means it is unreachable.
    const refusal =
      error instanceof AuthThrottled ? throttled(error.retryAfterS, error.message) : serviceHttpError(databaseUnavailable(error));
    sendError(res, path, refusal);
    return false;
  }
  const scope = SCOPE_BY_METHOD[req.method ?? 'GET'] ?? 'admin';
  if (!allows(auth, scope)) {
    const wait = auth.principal ? 0 : keylessRefused(deps.failures, auth);
    if (wait > 0) {
      sendError(res, path, throttled(wait, `Too many requests without a valid key; retry after ${wait} s`));
      return false;
    }
    sendError(
      res,
      path,
      auth.principal
        ? new HttpError(403, `This key's scope (${auth.principal.scope}) does not allow this; it needs ${scope}`)
        : new HttpError(
            401,
            'An API key is required (Authorization: Bearer <key> or X-API-Key)',
            {},
            { 'www-authenticate': 'Bearer' },
          ),
    );
    return false;
  }
  const wait = takeRequest(deps.limiter, auth);
  if (wait > 0) {
    sendError(res, path, throttled(wait, `Rate limit exceeded; retry after ${wait} s`));
    return false;
  }
  return true;
}
