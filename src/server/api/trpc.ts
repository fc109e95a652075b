/**
 * tRPC initialisation: the context every procedure sees, the transformer, error shapes and
 * the procedure kinds. Routers live in ./routers, merged in ./root.ts.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import type { Services } from '../services';
import { ServiceError } from '../services/errors';
import { transformer } from './sharedSerialization';

/**
 * 1. Context: the app's services, made once per request (HTTP) or connection (WebSocket).
 */
export interface Context {
  services: Services;
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
    return {
      ...shape,
      data: { ...data, zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null },
    };
  },
});

/**
 * 3. Errors. Services raise ServiceError on purpose; it becomes the matching tRPC code.
 * Anything else is a fault: logged with an id, answered without internals.
 */
const STATUS: Record<ServiceError['code'], TRPCError['code']> = {
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

const errorMapping = t.middleware(async ({ next, ctx, path }) => {
  const result = await next();
  if (result.ok) return result;
  const { error } = result;
  const cause = error.cause;
  if (cause instanceof ServiceError) {
    throw new TRPCError({ code: STATUS[cause.code], message: cause.message, cause });
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    const id = crypto.randomUUID();
    ctx.services.log.error('procedure failed', { path, id, error: cause ?? error });
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `Internal error (id ${id})` });
  }
  return result;
});

/**
 * 4. Exports: routers and the procedure kinds.
 */
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(errorMapping);
