import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { SCOPES } from '../../auth/keys';
import { adminProcedure, createTRPCRouter, openProcedure } from '../trpc';

const sessionCookie = (value: string, maxAgeS: number) =>
  `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}`;

export const authRouter = createTRPCRouter({
  /** Whether this app asks for keys at all, and who the caller is. */
  status: openProcedure.query(({ ctx }) => ({
    open: ctx.auth.open,
    signedIn: ctx.auth.principal !== null,
    name: ctx.auth.principal?.name ?? null,
    scope: ctx.auth.principal?.scope ?? (ctx.auth.open ? ('admin' as const) : null),
  })),

  /** A browser signs in once with a key and keeps an httpOnly, SameSite session cookie. */
  signIn: openProcedure.input(z.object({ key: z.string().min(1).max(200) })).mutation(async ({ ctx, input }) => {
    if (ctx.crossSite) throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused' });
    if (!ctx.res) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Sign in over HTTP' });
    // Signing in is guessing keys too: limited per address like every other failed attempt.
    const { failures } = ctx;
    const known = ctx.services.apiKeys.knownGood({ key: input.key });
    const wait = failures && !known ? failures.wait(ctx.auth.client) : 0;
    if (wait > 0) {
      ctx.res.setHeader('Retry-After', String(wait));
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `Too many failed sign-ins; retry after ${wait} s` });
    }
    const session = await ctx.services.apiKeys.signIn(input.key);
    if (!session) {
      failures?.take(ctx.auth.client);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Unknown or revoked key' });
    }
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    ctx.res.setHeader('Set-Cookie', sessionCookie(session.token, maxAge));
    ctx.res.setHeader('Cache-Control', 'no-store');
    return { name: session.principal.name, scope: session.principal.scope };
  }),

  signOut: openProcedure.mutation(async ({ ctx }) => {
    const token = ctx.sessionToken;
    if (token) await ctx.services.apiKeys.signOut(token);
    ctx.res?.setHeader('Set-Cookie', sessionCookie('', 0));
    return { signedOut: true };
  }),
});

export const apiKeyRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => ctx.services.apiKeys.list()),

  /** The key is in this answer only; it is stored hashed. */
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1).max(128), scope: z.enum(SCOPES) }))
    .mutation(({ ctx, input }) => {
      // A secret: no cache, browser or proxy, may keep this answer.
      ctx.res?.setHeader('Cache-Control', 'no-store');
      return ctx.services.apiKeys.create(input.name, input.scope);
    }),

  revoke: adminProcedure.input(z.object({ name: z.string().min(1).max(128) })).mutation(async ({ ctx, input }) => {
    await ctx.services.apiKeys.revoke(input.name);
    return { revoked: input.name };
  }),
});
