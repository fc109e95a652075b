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
import { getServices } from '@/server/appContext';
import { SESSION_COOKIE } from '@/server/auth/authenticate';
import { createQueryClient } from './query-client';

const createContext = cache(async (): Promise<Context> => {
  const services = getServices();
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const [anyKey, principal] = await Promise.all([
    services.apiKeys.anyActive(),
    token ? services.apiKeys.verifySession(token) : Promise.resolve(null),
  ]);
  return { services, auth: { open: !anyKey, principal, viaCookie: principal !== null } };
});

const getQueryClient = cache(createQueryClient);

export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(createCaller(createContext), getQueryClient);

/** The caller on its own, for pages that pass data as props. */
export const serverApi = async () => createCaller(await createContext());
