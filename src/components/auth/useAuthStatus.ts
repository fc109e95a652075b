'use client';
import { api } from '@/trpc/react';

/** Who this browser is signed in as; admins alone see and change keys and webhooks. */
export function useAuthStatus() {
  const status = api.auth.status.useQuery();
  return { status, isAdmin: status.data?.scope === 'admin' };
}
