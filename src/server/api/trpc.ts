/**
 * tRPC initialisation: the context every procedure sees, the transformer, error shapes and
 * the procedure kinds. Routers live in ./routers, merged in ./root.ts.
 */
import type http from 'node:http';
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { allows, keylessRefused, type Auth } from '../auth/authenticate';
import type { RateLimiter } from '../auth/rateLimit';
import type { Scope } from '../auth/keys';
import type { Services } from '../services';
import { classifyError, ServiceError, type ServiceErrorCode } from '../services/errors';
import { InputError } from './inputDecoding';
import { transformer } from './sharedSerialization';

/**
 * 1. Context: the app's services and who is asking, made once per request (HTTP) or per
 * connection (WebSocket, authenticated by its connection params or the browser's cookie).
 */
export interface Context {
  services: Services;
  auth: Auth;
  /** HTTP only: lets procedures set headers (the session cookie, Retry-After). */
  res?: http.ServerResponse;
  /** A browser request whose Origin is another site's. */
  crossSite?: boolean;
  /** The browser session token, when the request carried the cookie. */
  sessionToken?: string;
  /** Seconds to wait before the next call is allowed; 0 when it is (see auth/rateLimit.ts). */
  rateLimit?: () => number;
  /** Failed and missing credentials per client address (see auth/authenticate.ts). */
  failures?: RateLimiter;
}

/**
 * 2. Initialisation. superjson carries Dates, NaN and ±Infinity (a diverging loss) intact;
 * live batches are serialised once for all their subscribers (./sharedSerialization.ts).
 * The error formatter passes zod's flattened errors so clients can name the bad field.
 */
const t = initTRPC.context<Context>().create({
  transformer,
  errorFormatter({ shape, error }) {
    // No stack trace leaves the server, in any mode.
    const { stack: _stack, ...data } = shape.data;
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: clientMessage(error, zodError),
      data: {
        ...data,
        zodError: zodError ? z.flattenError(zodError) : null,
        // Every issue with its full path (e.g. events.3.values): clients find the bad item.
        issues: zodError
          ? zodError.issues.map((i) => ({
              path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
              message: i.message,
            }))
          : null,
      },
    };
  },
});

/**
 * A short sentence for the client: a zod error names its first field (the rest are in
 * data.issues), and a library's own text (a JSON parser's, superjson's, a RangeError) is
 * replaced by what it means, so nothing of the server's insides reaches the message.
 */
function clientMessage(error: TRPCError, zodError: ZodError | null): string {
  if (zodError) {
    const [first, ...rest] = zodError.issues;
    if (!first) return 'Invalid input';
    const field = first.path.length ? first.path.map(String).join('.') : 'input';
    return `Invalid input at ${field}: ${first.message}${rest.length ? ` (and ${rest.length} more)` : ''}`;
  }
  const cause = error.cause;
  const ours = cause instanceof InputError || cause instanceof ServiceError || cause instanceof TRPCError;
  if (!(cause instanceof Error) || ours || (error.code !== 'BAD_REQUEST' && error.code !== 'PARSE_ERROR')) {
    return error.message;
  }
  return cause instanceof SyntaxError ? 'The request is not valid JSON' : 'The input could not be read';
}

/**
 * 3. Errors. services/errors.ts says what a thrown error is; this table says which tRPC
 * code each kind gets. An unclassified error is a fault: logged with an id, answered
 * without internals.
 */
const STATUS: Record<ServiceErrorCode, TRPCError['code']> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/** A classified error as tRPC answers it, here and while authenticating (app.ts). */
export const trpcErrorFor = (error: ServiceError) =>
  new TRPCError({ code: STATUS[error.code], message: error.message, cause: error });

const errorMapping = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  // Only what a procedure threw is wrapped as INTERNAL_SERVER_ERROR; a TRPCError raised on
  // purpose (bad input, access) is answered as it is.
  if (result.ok || result.error.code !== 'INTERNAL_SERVER_ERROR') return result;
  const cause = result.error.cause;
  const known = classifyError(cause);
  if (known) throw trpcErrorFor(known);
  const id = crypto.randomUUID();
  ctx.services.log.error('procedure failed', { path, id, error: cause ?? result.error });
  throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Internal error (id ${id})` });
});

/**
 * 4. Access. Queries and subscriptions need the read scope, mutations write; while the app
 * runs open (auth/openMode.ts) everything is allowed. Mutations from a refused origin are
 * refused, and every key is rate-limited.
 */
const access = (needed?: Scope) =>
  t.middleware(async ({ ctx, type, next }) => {
    const scope = needed ?? (type === 'mutation' ? 'write' : 'read');
    // A socket opened with a key that was revoked since runs nothing more (and is being closed);
    // admin calls ask the database, so a revocation made on another instance holds at once.
    const keyId = ctx.auth.principal?.keyId;
    const revoked =
      keyId !== undefined &&
      (scope === 'admin' ? await ctx.services.apiKeys.isRevokedNow(keyId) : ctx.services.apiKeys.isRevoked(keyId));
    if (revoked) {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This API key was revoked' });
    }
    if (!allows(ctx.auth, scope)) {
      const wait = !ctx.auth.principal && ctx.failures ? keylessRefused(ctx.failures, ctx.auth) : 0;
      if (wait > 0) {
        ctx.res?.setHeader('Retry-After', String(wait));
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many requests without a valid key; retry after ${wait} s`,
        });
      }
      throw ctx.auth.principal
        ? new TRPCError({
            code: 'FORBIDDEN',
            message: `This key's scope (${ctx.auth.principal.scope}) does not allow this; it needs ${scope}`,
          })
        : new TRPCError({ code: 'UNAUTHORIZED', message: 'An API key is required (Authorization: Bearer <key>)' });
    }
    if (type === 'mutation' && ctx.crossSite) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused' });
    }
    const wait = ctx.rateLimit?.() ?? 0;
    if (wait > 0) {
      ctx.res?.setHeader('Retry-After', String(wait));
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `Rate limit exceeded; retry after ${wait} s` });
    }
    return next();
  });

/**
 * 5. Exports: routers and the procedure kinds.
 */
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Anyone: signing in, and asking whether one must. */
export const openProcedure = t.procedure.use(errorMapping);
/** The API: read scope for queries and subscriptions, write for mutations. */
export const publicProcedure = openProcedure.use(access());
/** Keys and deletion. */
export const adminProcedure = openProcedure.use(access('admin'));
