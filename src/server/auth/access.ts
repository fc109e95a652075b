/**
 * Access to the REST shim: GET needs the read scope, POST and PUT write, DELETE admin
 * (while no key exists everything is open). Answers in the shim's error shape.
 */
import type http from 'node:http';
import { HttpError, sendError } from '../rest/envelope';
import type { ApiKeyService } from '../services/apiKeyService';
import { allows, authenticate, sameOrigin, type OpenModeCheck } from './authenticate';
import type { Scope } from './keys';
import type { RateLimiter } from './rateLimit';

export interface AccessDeps {
  keys: ApiKeyService;
  openMode: OpenModeCheck;
  limiter: RateLimiter;
  allowedOrigins: string[];
}

const SCOPE_BY_METHOD: Record<string, Scope> = { GET: 'read', HEAD: 'read', POST: 'write', PUT: 'write', DELETE: 'admin' };

/** True when the request may go on; otherwise the answer has been sent. */
export async function accessForRest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  deps: AccessDeps,
): Promise<boolean> {
  let auth;
  try {
    auth = await authenticate(req, deps.keys, deps.openMode);
  } catch {
    sendError(res, path, new HttpError(503, 'The database is unavailable; try again shortly'));
    return false;
  }
  const scope = SCOPE_BY_METHOD[req.method ?? 'GET'] ?? 'admin';
  if (!allows(auth, scope)) {
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
  if (auth.viaCookie && scope !== 'read' && !sameOrigin(req, deps.allowedOrigins)) {
    sendError(res, path, new HttpError(403, 'Cross-site request refused'));
    return false;
  }
  const wait = auth.principal ? deps.limiter.take(auth.principal.name) : 0;
  if (wait > 0) {
    sendError(res, path, new HttpError(429, `Rate limit exceeded; retry after ${wait} s`, {}, { 'retry-after': String(wait) }));
    return false;
  }
  return true;
}
