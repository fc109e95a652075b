/**
 * tRPC for server components: procedures called in-process on the running app's services,
 * no HTTP round trip, as the browser's session cookie allows. One caller per request.
 */
import { cookies } from 'next/headers';
import { cache } from 'react';
import { createCaller } from '@/server/api/root';
import { getServices } from '@/server/appContext';
import { SESSION_COOKIE } from '@/server/auth/authenticate';

export const serverApi = cache(async () => {
  const services = getServices();
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const [anyKey, principal] = await Promise.all([
    services.apiKeys.anyActive(),
    token ? services.apiKeys.verifySession(token) : Promise.resolve(null),
  ]);
  return createCaller({ services, auth: { open: !anyKey, principal, viaCookie: principal !== null } });
});
