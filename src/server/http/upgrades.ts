/**
 * WebSocket upgrades: the tRPC socket and the plain streams, behind the same doors as
 * every request (target, Host while open, the origin policy). Plain streams need a read
 * key (`?api_key=`, a header, or the cookie from the app's own origin) at the upgrade.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { allows, authenticate, AuthThrottled, keylessRefused, type AuthDeps } from '../auth/authenticate';
import type { KeySockets } from '../auth/keySockets';
import type { PlainSockets } from '../sockets/plainSockets';
import type { Doors } from './doors';
import { statusHeaders } from './respond';

export function refuseUpgrade(socket: Duplex, status: number, headers: Record<string, string> = {}): void {
  const extra = Object.entries({ ...statusHeaders(status), ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n${extra.join('')}Connection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

export interface UpgradeDeps {
  doors: Doors;
  trpcPath: string;
  trpcWss: WebSocketServer;
  plainSockets: PlainSockets;
  auth: AuthDeps;
  keySockets: KeySockets;
  /** In development Next.js listens for its own (hot reload) upgrades on this server. */
  leaveOthers: boolean;
}

export function createUpgradeHandler(deps: UpgradeDeps) {
  const serve = async (req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const ours = path === deps.trpcPath || path.startsWith('/api/v1/ws/') || /^[a-z]+:\/\//i.test(path);
    if (!ours) {
      if (!deps.leaveOthers) socket.destroy();
      return;
    }
    const admission = await deps.doors.admit(req);
    if (admission.kind === 'refused') return refuseUpgrade(socket, admission.status);
    if (admission.kind !== 'admitted') return refuseUpgrade(socket, 400);
    if (!admission.originAllowed) return refuseUpgrade(socket, 403);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === deps.trpcPath) {
      deps.trpcWss.handleUpgrade(req, socket, head, (ws) => deps.trpcWss.emit('connection', ws, req));
      return;
    }
    let auth;
    try {
      auth = await authenticate(req, deps.auth, {
        extraKey: url.searchParams.get('api_key'),
        crossOrigin: admission.crossOrigin,
      });
    } catch (error) {
      if (error instanceof AuthThrottled) return refuseUpgrade(socket, 429, { 'Retry-After': String(error.retryAfterS) });
      return refuseUpgrade(socket, 503);
    }
    if (!allows(auth, 'read')) {
      const wait = auth.principal ? 0 : keylessRefused(deps.auth.failures, auth);
      return wait > 0 ? refuseUpgrade(socket, 429, { 'Retry-After': String(wait) }) : refuseUpgrade(socket, 401);
    }
    const principal = auth.principal;
    if (!deps.plainSockets.handleUpgrade(req, socket, head, (ws) => deps.keySockets.track(principal, ws))) socket.destroy();
  };
  return (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    serve(req, socket, head).catch(() => socket.destroy());
  };
}
