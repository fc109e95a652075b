/**
 * Who is asking: an API key (`Authorization: Bearer`, `X-API-Key`, the tRPC socket's
 * connection params, or `?api_key=` on a plain socket), or a browser signed in with one
 * (the session cookie). While no key exists the app runs open, as the older backend did,
 * and everyone may do everything; it can only run so on a loopback address.
 */
import type http from 'node:http';
import type { ApiKeyService, Principal } from '../services/apiKeyService';
import { scopeAllows, type Scope } from './keys';

export const SESSION_COOKIE = 'cvsm_session';

export interface Auth {
  /** No key exists: everything is allowed. */
  open: boolean;
  principal: Principal | null;
  /** The credential came from the cookie (a browser), so cross-site requests matter. */
  viaCookie: boolean;
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

export function credentialFrom(req: http.IncomingMessage, extraKey?: unknown): { key?: string; token?: string } {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const xKey = req.headers['x-api-key'];
  const key = bearer ?? (typeof xKey === 'string' ? xKey : undefined) ?? (typeof extraKey === 'string' ? extraKey : undefined);
  return key ? { key } : { token: cookie(req, SESSION_COOKIE) };
}

/**
 * Re-checks "is any key configured?" every few seconds, so keys made by the CLI take
 * effect, and at once when this process made or revoked one.
 */
export class OpenModeCheck {
  private value: boolean | null = null;
  private checkedAt = 0;
  private version = -1;

  constructor(private readonly keys: ApiKeyService) {}

  async isOpen(): Promise<boolean> {
    if (this.value === null || this.version !== this.keys.version || Date.now() - this.checkedAt > 5000) {
      this.version = this.keys.version;
      this.value = !(await this.keys.anyActive());
      this.checkedAt = Date.now();
    }
    return this.value;
  }
}

export async function authenticate(
  req: http.IncomingMessage,
  keys: ApiKeyService,
  openMode: OpenModeCheck,
  extraKey?: unknown,
): Promise<Auth> {
  const open = await openMode.isOpen();
  const { key, token } = credentialFrom(req, extraKey);
  if (key) return { open, principal: await keys.verify(key), viaCookie: false };
  if (token) return { open, principal: await keys.verifySession(token), viaCookie: true };
  return { open, principal: null, viaCookie: false };
}

/** Who a browser is, known by its session cookie alone (server components). */
export async function authFromSessionToken(keys: ApiKeyService, token: string | undefined): Promise<Auth> {
  const [anyKey, principal] = await Promise.all([keys.anyActive(), token ? keys.verifySession(token) : Promise.resolve(null)]);
  return { open: !anyKey, principal, viaCookie: principal !== null };
}

/**
 * A browser request is same-origin when its Origin (sent by browsers on every WebSocket
 * upgrade and every non-GET fetch) names the host it was sent to. Clients that send no
 * Origin (curl, SDKs) are not browsers and are judged by their key alone.
 */
export function sameOrigin(req: http.IncomingMessage, allowedOrigins: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
