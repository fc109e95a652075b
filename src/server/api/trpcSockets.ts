/**
 * tRPC over WebSocket (/api/trpc-ws): the socket server, its per-connection context (the
 * key comes in the connection params; the socket is remembered under it so that revoking
 * the key closes it), and the cut-off for clients that stop reading.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyWSSHandler, type CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { Auth } from '../auth/authenticate';
import type { KeySockets } from '../auth/keySockets';
import type { RateLimiter } from '../auth/rateLimit';
import type { Logger } from '../../lib/logger';
import type { Services } from '../services';
import { appRouter } from './root';
import { wsEncoder } from './sharedSerialization';
import type { Context } from './trpc';

export interface TrpcSocketOptions {
  services: Services;
  log: Logger;
  bodyLimitBytes: number;
  bufferLimitBytes: number;
  keySockets: KeySockets;
  /** Who the socket's client is, from its upgrade request and connection params. */
  authenticate: (opts: CreateWSSContextFnOptions) => Promise<Auth>;
  rateLimit: (auth: Auth) => number;
  failures: RateLimiter;
}

export function createTrpcSockets(options: TrpcSocketOptions) {
  const { services, log, keySockets } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.bodyLimitBytes });
  // Like the plain sockets: a client with more than the limit waiting to be sent has stopped
  // reading and is cut off, so the server never holds more than that for it. Registered
  // before tRPC's own handler, so every frame tRPC sends goes through the check.
  // Frames sent to one socket in one turn of the event loop (a batch of live samples, say)
  // leave in one write: the socket is corked at its first frame and uncorked once the
  // turn is over, for every socket corked in it at once.
  const corked = new Set<Duplex>();
  const uncorkAll = () => {
    for (const socket of corked) socket.uncork();
    corked.clear();
  };
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const socket = request.socket;
    const send = ws.send.bind(ws);
    ws.send = ((...args: Parameters<WebSocket['send']>) => {
      if (ws.bufferedAmount > options.bufferLimitBytes) {
        if (ws.readyState === WebSocket.OPEN) {
          log.warn('tRPC socket cut off: client is not reading', { buffered: ws.bufferedAmount });
          ws.terminate();
        }
        return;
      }
      if (!corked.has(socket)) {
        if (corked.size === 0) setImmediate(uncorkAll);
        corked.add(socket);
        socket.cork();
      }
      send(...args);
    }) as WebSocket['send'];
  });
  const createContext = async (opts: CreateWSSContextFnOptions): Promise<Context> => {
    const auth = await options.authenticate(opts);
    keySockets.track(auth.principal, opts.res);
    return { services, auth, rateLimit: () => options.rateLimit(auth), failures: options.failures };
  };
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    experimental_encoder: wsEncoder,
  });
  return { wss, handler };
}
