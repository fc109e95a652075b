/**
 * Who is asking: an API key (`Authorization: Bearer`, `X-API-Key`, the tRPC socket's
 * connection params, or `?api_key=` on a plain socket), or a browser signed in with one
 * (the session cookie, honoured only from the app's own origin). While the app runs open
 * (see ./openMode.ts) everyone may do everything.
 *
 * Failed attempts are limited per client address: once an address has used up its
 * allowance, credentials not already known good are refused (429) without a lookup, so
 * guessing keys costs the database nothing. Requests refused for want of a key count too
 * (see `keylessRefused`).
 */
import type http from 'node:http';
import type { ApiKeyService, Principal } from '../services/apiKeyService';
import { scopeAllows, type Scope } from './keys';
import type { OpenModeCheck } from './openMode';
import type { RateLimiter } from './rateLimit';

export const SESSION_COOKIE = 'cvsm_session';

export interface Auth {
  /** The app runs open: everything is allowed. */
  open: boolean;
  principal: Principal | null;
  /** The credential came from the cookie (a browser), so cross-site requests matter. */
  viaCookie: boolean;
  /** The client's address, which failed attempts are counted against. */
  client: string;
  /** A key or cookie was presented (a failed one was counted already). */
  presented: boolean;
}

export interface AuthDeps {
  keys: ApiKeyService;
  openMode: OpenModeCheck;
  /** Failed or missing credentials per client address, while keys are required. */
  failures: RateLimiter;
}

/** Too many failed attempts from this address: come back after `retryAfterS`. */
export class AuthThrottled extends Error {
  constructor(readonly retryAfterS: number) {
    super(`Too many failed authentication attempts; retry after ${retryAfterS} s`);
  }
}

export const allows = (auth: Auth, scope: Scope) =>
  auth.open || (auth.principal !== null && scopeAllows(auth.principal.scope, scope));

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function credentialFrom(
  req: http.IncomingMessage,
  extraKey?: unknown,
  cookieAllowed = true,
): { key?: string; token?: string } {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const xKey = req.headers['x-api-key'];
  const key = bearer ?? (typeof xKey === 'string' ? xKey : undefined) ?? (typeof extraKey === 'string' ? extraKey : undefined);
  if (key) return { key };
  return cookieAllowed ? { token: cookie(req, SESSION_COOKIE) } : {};
}

export const clientOf = (req: http.IncomingMessage) => `address:${req.socket.remoteAddress ?? 'unknown'}`;

export async function authenticate(
  req: http.IncomingMessage,
  deps: AuthDeps,
  opts: { extraKey?: unknown; crossOrigin?: boolean } = {},
): Promise<Auth> {
  const { keys, failures } = deps;
  const open = await deps.openMode.isOpen();
  // No credentials cross-site: a page of another origin is judged by the key it sends, if any.
  const { key, token } = credentialFrom(req, opts.extraKey, !opts.crossOrigin);
  const client = clientOf(req);
  const known = key ? keys.cachedKey(key) : token ? keys.cachedSession(token) : null;
  if (!open && known === undefined && !keys.knownGood({ key, token })) {
    const wait = failures.wait(client);
    if (wait > 0) throw new AuthThrottled(wait);
  }
  const found = known !== undefined ? known : key ? await keys.verify(key) : await keys.verifySession(token!);
  // A key revoked while it was being looked up is refused too.
  const principal = found && !keys.isRevoked(found.keyId) ? found : null;
  if (!open && principal === null && (key || token)) {
    const wait = failures.take(client);
    if (wait > 0) throw new AuthThrottled(wait);
  }
  return { open, principal, viaCookie: !key && principal !== null, client, presented: Boolean(key || token) };
}

/** Counts a request refused for want of a key against its address; the seconds to wait when over the limit, else 0. */
export const keylessRefused = (failures: RateLimiter, auth: Auth): number => (auth.presented ? 0 : failures.take(auth.client));

/** Who a browser is, known by its session cookie alone (server components); closed without the server's open-mode check. */
export async function authFromSessionToken(
  keys: ApiKeyService,
  openMode: OpenModeCheck | undefined,
  token: string | undefined,
): Promise<Auth> {
  const [open, found] = await Promise.all([
    openMode ? openMode.isOpen() : Promise.resolve(false),
    token ? keys.verifySession(token) : Promise.resolve(null),
  ]);
  const principal = found && !keys.isRevoked(found.keyId) ? found : null;
  return { open, principal, viaCookie: principal !== null, client: 'server', presented: token !== undefined };
}
