/**
 * tRPC for server components: procedures called in-process on the running app's services,
 * no HTTP round trip, as the browser's session cookie allows. One context and one query
 * client per request (React's cache); what a page prefetches reaches the browser's cache
 * through <HydrateClient>, so its first render needs no request.
 */
import { createHydrationHelpers } from '@trpc/react-query/rsc';
import { cookies } from 'next/headers';
import { cache } from 'react';
import { createCaller, type AppRouter } from '@/server/api/root';
import type { Context } from '@/server/api/trpc';
import { getOpenMode, getServices } from '@/server/appContext';
import { authFromSessionToken, SESSION_COOKIE } from '@/server/auth/authenticate';
import { createQueryClient } from './query-client';

/** The request's context, once per request: its services and who the browser is. */
export const requestContext = cache(async (): Promise<Context> => {
  // The cookie first: it makes the page render per request, never at build time, when the
  // app's services are not running.
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const services = getServices();
  return { services, auth: await authFromSessionToken(services.apiKeys, getOpenMode(), token) };
});

const getQueryClient = cache(createQueryClient);

export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(createCaller(requestContext), getQueryClient);

/** The caller on its own, for pages that pass data as props. */
export const serverApi = async () => createCaller(await requestContext());
