/**
 * The open sockets (tRPC and plain) of each API key, so that revoking a key closes every
 * socket it opened, on every instance, with a close code that says why.
 */
import type { WebSocket } from 'ws';
import type { ApiKeyService, Principal } from '../services/apiKeyService';

/** Close code and reason a client sees when the key its socket was opened with is revoked. */
export const KEY_REVOKED = { code: 4001, reason: 'api key revoked' } as const;

export class KeySockets {
  private byKey = new Map<number, Set<WebSocket>>();
  private readonly stop: () => void;

  constructor(keys: ApiKeyService) {
    this.stop = keys.onRevoked((keyIds) => keyIds.forEach((id) => this.closeAll(id)));
  }

  /** Remembers a socket opened with `principal`'s key until it closes. */
  track(principal: Principal | null, ws: WebSocket): void {
    if (!principal) return;
    let set = this.byKey.get(principal.keyId);
    if (!set) this.byKey.set(principal.keyId, (set = new Set()));
    set.add(ws);
    ws.once('close', () => {
      set.delete(ws);
      if (set.size === 0 && this.byKey.get(principal.keyId) === set) this.byKey.delete(principal.keyId);
    });
  }

  close(): void {
    this.stop();
  }

  private closeAll(keyId: number): void {
    for (const ws of this.byKey.get(keyId) ?? []) {
      ws.close(KEY_REVOKED.code, KEY_REVOKED.reason);
      // A client that does not answer the close handshake is cut anyway.
      setTimeout(() => ws.terminate(), 1000).unref();
    }
  }
}
