/**
 * One HTTP server for everything: the Next.js pages, tRPC over HTTP (/api/trpc) and over
 * WebSocket (/api/trpc-ws), the REST shim (/api/v1) and its plain sockets (/api/v1/ws/*).
 */
import http from 'node:http';
import { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter } from './api/root';
import { trpcErrorFor, type Context } from './api/trpc';
import { createTrpcSockets } from './api/trpcSockets';
import { registerOpenMode, registerServices } from './appContext';
import { authenticate, AuthThrottled, credentialFrom, type Auth } from './auth/authenticate';
import { KeySockets } from './auth/keySockets';
import { OpenModeCheck } from './auth/openMode';
import { RateLimiter, takeRequest } from './auth/rateLimit';
import { openDatabase } from './db/database';
import { answerOptions, setCorsHeaders } from './http/cors';
import { createDoors, SAFE_METHODS } from './http/doors';
import { handleHealth } from './http/health';
import { createHostPolicy } from './http/hostPolicy';
import { isLoopback } from './http/loopback';
import { handleMetrics } from './http/metrics';
import { createNextHandlers, type NextHandlers } from './http/nextHandler';
import { createOriginPolicy } from './http/originPolicy';
import { sendJson, statusHeaders } from './http/respond';
import { setPagePolicy, setSecurityHeaders } from './http/securityHeaders';
import { createUpgradeHandler } from './http/upgrades';
import type { Logger } from '../lib/logger';
import { StartupError } from '../lib/startupError';
import { accessForRest, type AccessDeps } from './rest/access';
import { createRestHandler } from './rest/router';
import { servicesOptionsFromEnv } from './config';
import { createServices, type Services, type ServicesOptions } from './services';
import { classifyError } from './services/errors';
import { createPlainSockets } from './sockets/plainSockets';
import type { WebSocketServer } from 'ws';

export const TRPC_HTTP_PATH = '/api/trpc';
export const TRPC_WS_PATH = '/api/trpc-ws';

export interface AppOptions {
  port: number;
  host: string;
  /** PostgreSQL URL; unset starts the embedded server under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Statement and connection timeouts (ms): a hung database answers 503 after them. */
  databaseTimeouts?: { statementMs?: number; connectMs?: number };
  log: Logger;
  bodyLimitBytes: number;
  /** A socket client (plain or tRPC) with more than this many bytes unsent is cut off (default 4 MiB). */
  socketBufferLimitBytes?: number;
  /** Serve the web app (Next.js) too; tests of the API leave it out. */
  web?: { dev: boolean; dir: string };
  /** Browser origins besides the app's own that may use its API (e.g. behind a proxy). */
  allowedOrigins?: string[];
  /** Host names (any port) or `name:port` answered while the app runs open, besides loopback ones. */
  allowedHosts?: string[];
  /** Requests per second per API key (0: unlimited), and the burst allowed. */
  rateLimit?: { perSecond: number; burst: number };
  /** Failed or missing credentials allowed per client address while keys are required (default 1/s, bursts of 30). */
  failedAuthLimit?: { perSecond: number; burst: number };
  /** Retention and alerting; unset, they come from the environment (src/env.ts). */
  services?: ServicesOptions;
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

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  const db = await openDatabase({
    url: options.databaseUrl,
    dataDir: options.dataDir,
    log,
    statementTimeoutMs: options.databaseTimeouts?.statementMs,
    connectTimeoutMs: options.databaseTimeouts?.connectMs,
  });
  const services = await createServices(db, log, options.services ?? servicesOptionsFromEnv());
  registerServices(services);

  // Open mode is decided by the bound address: only loopback may run without keys.
  const openMode = new OpenModeCheck(services.apiKeys, options.host);
  if (!(await services.apiKeys.anyActive())) {
    if (!isLoopback(options.host)) {
      await services.close();
      throw new StartupError(
        `Refusing to listen on ${options.host} with no API key: anyone who can reach it could write.\n` +
          'Create a key first (npm run keys -- create --name admin --scope admin), or bind HOST=127.0.0.1.',
      );
    }
    log.warn('no API key exists: the app runs open (anyone who can reach this loopback address may read and write)');
  }
  await openMode.isOpen();
  registerOpenMode(openMode);
  const origins = createOriginPolicy(options.allowedOrigins ?? []);
  const doors = createDoors({ openMode, hosts: createHostPolicy(options.allowedHosts ?? []), origins });
  const limiter = new RateLimiter(options.rateLimit?.perSecond ?? 0, options.rateLimit?.burst ?? 0);
  const failures = new RateLimiter(options.failedAuthLimit?.perSecond ?? 1, options.failedAuthLimit?.burst ?? 30);
  const access: AccessDeps = { keys: services.apiKeys, openMode, failures, limiter };
  const keySockets = new KeySockets(services.apiKeys);
  const rateLimit = (auth: Auth) => takeRequest(limiter, auth);

  // Keys live in the database: while it is down, say so (503, retry) rather than fail (500).
  const authenticateForTrpc = async (req: http.IncomingMessage, extraKey?: unknown, res?: http.ServerResponse) => {
    try {
      return await authenticate(req, access, { extraKey, crossOrigin: origins.crossOrigin(req) });
    } catch (error) {
      if (error instanceof AuthThrottled) {
        res?.setHeader('Retry-After', String(error.retryAfterS));
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
      }
      const known = classifyError(error);
      if (!known) throw error;
      throw trpcErrorFor(known);
    }
  };
  const createHttpContext = async ({ req, res }: { req: http.IncomingMessage; res: http.ServerResponse }): Promise<Context> => {
    const auth = await authenticateForTrpc(req, undefined, res);
    return {
      services,
      auth,
      res,
      crossSite: !origins.allows(req, auth.open),
      sessionToken: credentialFrom(req, undefined, !origins.crossOrigin(req)).token,
      rateLimit: () => rateLimit(auth),
      failures,
    };
  };
  const trpcHttp = createHTTPHandler({
    router: appRouter,
    createContext: createHttpContext,
    basePath: `${TRPC_HTTP_PATH}/`,
    maxBodySize: options.bodyLimitBytes,
    // The database down: say when to retry, as the other doors do.
    responseMeta: ({ errors }) => (errors.some((e) => e.code === 'SERVICE_UNAVAILABLE') ? { headers: statusHeaders(503) } : {}),
  });

  const socketBufferLimit = options.socketBufferLimitBytes ?? 4 * 1024 * 1024;
  const { wss: trpcWss, handler: trpcWs } = createTrpcSockets({
    services,
    log,
    bodyLimitBytes: options.bodyLimitBytes,
    bufferLimitBytes: socketBufferLimit,
    keySockets,
    authenticate: ({ req, info }) => authenticateForTrpc(req, info.connectionParams?.apiKey),
    rateLimit,
    failures,
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

  const refuse = (res: http.ServerResponse, path: string, status: number, message: string) =>
    sendJson(res, status, { error: true, message, status_code: status, path });

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    // While shutting down, a keep-alive client is told to go after this answer, so it does
    // not hold the exit for the grace period.
    if (closing) res.setHeader('Connection', 'close');
    const admission = await doors.admit(req);
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (admission.kind === 'refused') return refuse(res, path, admission.status, admission.message);
    if (admission.kind === 'server-options') return answerOptions(req, res, false);
    const api = path.startsWith('/api/');
    if (api) setCorsHeaders(req, res, admission.originAllowed);
    if (api && req.method === 'OPTIONS') return answerOptions(req, res, admission.originAllowed);
    if (!SAFE_METHODS.has(req.method ?? 'GET') && !admission.originAllowed) {
      return refuse(
        res,
        path,
        403,
        `Origin ${req.headers.origin?.slice(0, 100)} may not make changes here (see ALLOWED_ORIGINS)`,
      );
    }
    if (path === '/health') return void handleHealth(services, res);
    if (path === '/metrics') {
      if (await accessForRest(req, res, path, access)) await handleMetrics(services, res);
      return;
    }
    if (path.startsWith(`${TRPC_HTTP_PATH}/`)) return trpcHttp(req, res);
    if (path === '/api/v1' || path.startsWith('/api/v1/')) {
      if (await accessForRest(req, res, path, access)) await rest(req, res);
      return;
    }
    if (web) {
      setPagePolicy(req, res, options.web?.dev ?? false);
      return web.handle(req, res);
    }
    refuse(res, path, 404, 'Not Found');
  };
  server.on('request', (req, res) => {
    serve(req, res).catch((error: unknown) => {
      log.error('request failed', { url: req.url, error });
      if (!res.headersSent) refuse(res, req.url ?? '/', 500, 'Internal server error');
      else res.destroy();
    });
  });

  server.on(
    'upgrade',
    createUpgradeHandler({
      doors,
      trpcPath: TRPC_WS_PATH,
      trpcWss,
      plainSockets,
      auth: access,
      keySockets,
      leaveOthers: options.web?.dev ?? false,
    }),
  );

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
      keySockets.close();
      await web?.close().catch(() => {});
      await services.close();
      registerServices(undefined);
      registerOpenMode(undefined);
    })());

  return { url, port, services, server, trpcSockets: trpcWss, close };
}
