/**
 * One HTTP server for everything: the Next.js pages, tRPC over HTTP (/api/trpc) and over
 * WebSocket (/api/trpc-ws), the REST shim (/api/v1) and its plain sockets (/api/v1/ws/*).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler, type CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { appRouter } from './api/root';
import { accessForRest, type AccessDeps } from './auth/access';
import { allows, authenticate, credentialFrom, isLoopback, OpenModeCheck, sameOrigin } from './auth/authenticate';
import { RateLimiter } from './auth/rateLimit';
import { wsEncoder } from './api/sharedSerialization';
import type { Context } from './api/trpc';
import { registerServices } from './appContext';
import { openDatabase } from './db/database';
import { isDatabaseUnavailable } from './db/errors';
import { handleHealth } from './http/health';
import { createNextHandlers, type NextHandlers } from './http/nextHandler';
import { sendJson } from './http/respond';
import { setSecurityHeaders } from './http/securityHeaders';
import type { Logger } from './logger';
import { createRestHandler } from './rest/router';
import { createServices, type Services } from './services';
import { createPlainSockets } from './sockets/plainSockets';

export const TRPC_HTTP_PATH = '/api/trpc';
export const TRPC_WS_PATH = '/api/trpc-ws';

export interface AppOptions {
  port: number;
  host: string;
  /** PostgreSQL URL; unset starts the embedded server under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  log: Logger;
  bodyLimitBytes: number;
  /** A socket client (plain or tRPC) with more than this many bytes unsent is cut off (default 4 MiB). */
  socketBufferLimitBytes?: number;
  /** Serve the web app (Next.js) too; tests of the API leave it out. */
  web?: { dev: boolean; dir: string };
  /** Browser origins besides the app's own that may use its API (e.g. behind a proxy). */
  allowedOrigins?: string[];
  /** Requests per second per API key (0: unlimited), and the burst allowed. */
  rateLimit?: { perSecond: number; burst: number };
}

export interface RunningApp {
  url: string;
  port: number;
  services: Services;
  server: http.Server;
  /** The tRPC WebSocket server (its clients are the open tRPC sockets). */
  trpcSockets: WebSocketServer;
  /** Tells socket clients to reconnect, stops accepting, finishes, closes the database. */
  close(): Promise<void>;
}

/** The app cannot start as configured; the message says what to do. */
export class StartupError extends Error {}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  const db = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir, log });
  const services = await createServices(db, log);
  registerServices(services);

  const openMode = new OpenModeCheck(services.apiKeys);
  if (await openMode.isOpen()) {
    if (!isLoopback(options.host)) {
      await services.alerts.close();
      await services.bus.close();
      services.system.close();
      await db.close();
      throw new StartupError(
        `Refusing to listen on ${options.host} with no API key: anyone who can reach it could write.\n` +
          'Create a key first (npm run keys -- create --name admin --scope admin), or bind HOST=127.0.0.1.',
      );
    }
    log.warn('no API key exists: the app runs open (anyone who can reach this loopback address may read and write)');
  }
  const allowedOrigins = options.allowedOrigins ?? [];
  const limiter = new RateLimiter(options.rateLimit?.perSecond ?? 0, options.rateLimit?.burst ?? 0);
  const access: AccessDeps = { keys: services.apiKeys, openMode, limiter, allowedOrigins };

  // Keys live in the database: while it is down, say so (503, retry) rather than fail (500).
  const authenticateOr503: typeof authenticate = (...args) =>
    authenticate(...args).catch((error: unknown) => {
      if (!isDatabaseUnavailable(error)) throw error;
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: 'The database is unavailable; try again shortly',
        cause: error,
      });
    });
  const createHttpContext = async ({ req, res }: { req: http.IncomingMessage; res: http.ServerResponse }): Promise<Context> => {
    const auth = await authenticateOr503(req, services.apiKeys, openMode);
    return {
      services,
      auth,
      res,
      crossSite: !sameOrigin(req, allowedOrigins),
      sessionToken: credentialFrom(req).token,
      rateLimit: () => (auth.principal ? limiter.take(auth.principal.name) : 0),
    };
  };
  const createWsContext = async ({ req, info }: CreateWSSContextFnOptions): Promise<Context> => {
    // The socket's Origin was checked at the upgrade; its key comes in the connection params.
    const auth = await authenticateOr503(req, services.apiKeys, openMode, info.connectionParams?.apiKey);
    return { services, auth, rateLimit: () => (auth.principal ? limiter.take(auth.principal.name) : 0) };
  };
  const trpcHttp = createHTTPHandler({
    router: appRouter,
    createContext: createHttpContext,
    basePath: `${TRPC_HTTP_PATH}/`,
    maxBodySize: options.bodyLimitBytes,
  });

  const trpcWss = new WebSocketServer({ noServer: true, maxPayload: options.bodyLimitBytes });
  const socketBufferLimit = options.socketBufferLimitBytes ?? 4 * 1024 * 1024;
  // Like the plain sockets: a client with more than the limit waiting to be sent has stopped
  // reading and is cut off, so the server never holds more than that for it. Registered
  // before tRPC's own handler, so every frame tRPC sends goes through the check.
  trpcWss.on('connection', (ws: WebSocket) => {
    const send = ws.send.bind(ws);
    ws.send = ((...args: Parameters<WebSocket['send']>) => {
      if (ws.bufferedAmount > socketBufferLimit) {
        if (ws.readyState === WebSocket.OPEN) {
          log.warn('tRPC socket cut off: client is not reading', { buffered: ws.bufferedAmount });
          ws.terminate();
        }
        return;
      }
      send(...args);
    }) as WebSocket['send'];
  });
  const trpcWs = applyWSSHandler({
    wss: trpcWss,
    router: appRouter,
    createContext: createWsContext,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    experimental_encoder: wsEncoder,
  });

  const plainSockets = createPlainSockets(services, {
    bufferLimitBytes: socketBufferLimit,
    log: log.child('sockets'),
  });
  const rest = createRestHandler(services, {
    bodyLimitBytes: options.bodyLimitBytes,
    log: log.child('rest'),
    socketStats: () => plainSockets.stats(),
  });

  const server = http.createServer();
  let closing: Promise<void> | null = null;
  let web: NextHandlers | null = null;

  server.on('request', (req, res) => {
    setSecurityHeaders(res);
    // While shutting down, a keep-alive client is told to go after this answer, so it does
    // not hold the exit for the grace period.
    if (closing) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path === '/health') return void handleHealth(services, res);
    if (path.startsWith(`${TRPC_HTTP_PATH}/`)) return trpcHttp(req, res);
    if (path === '/api/v1' || path.startsWith('/api/v1/')) {
      return void accessForRest(req, res, path, access).then((allowed) => {
        if (allowed) void rest(req, res);
      });
    }
    if (web) return void web.handle(req, res);
    sendJson(res, 404, { error: true, message: 'Not Found', status_code: 404, path });
  });

  server.on('upgrade', (req, socket: Duplex, head) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const ours = path === TRPC_WS_PATH || path.startsWith('/api/v1/ws/');
    if (ours && !sameOrigin(req, allowedOrigins)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (path === TRPC_WS_PATH) {
      trpcWss.handleUpgrade(req, socket, head, (ws) => trpcWss.emit('connection', ws, req));
      return;
    }
    if (ours) {
      void authenticate(req, services.apiKeys, openMode, new URL(req.url ?? '/', 'http://x').searchParams.get('api_key')).then(
        (auth) => {
          if (!allows(auth, 'read')) return refuseUpgrade(socket, 401, 'Unauthorized');
          if (!plainSockets.handleUpgrade(req, socket, head)) socket.destroy();
        },
        () => refuseUpgrade(socket, 503, 'Service Unavailable'),
      );
      return;
    }
    // In development Next.js listens for its own (hot reload) upgrades on this server.
    if (!options.web?.dev) socket.destroy();
  });

  if (options.web) {
    web = await createNextHandlers({ dev: options.web.dev, dir: options.web.dir, hostname: options.host, port: options.port });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const displayHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${displayHost}:${port}`;

  const close = () =>
    (closing ??= (async () => {
      trpcWs.broadcastReconnectNotification();
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const client of trpcWss.clients) client.close(1001, 'server shutting down');
      plainSockets.close();
      // In-flight requests get a moment to finish; then the rest are cut.
      const grace = setTimeout(() => server.closeAllConnections(), 5000);
      await httpClosed;
      clearTimeout(grace);
      trpcWss.close();
      await web?.close().catch(() => {});
      await services.alerts.close();
      services.system.close();
      await services.bus.close();
      await db.close();
      registerServices(undefined);
    })());

  return { url, port, services, server, trpcSockets: trpcWss, close };
}
