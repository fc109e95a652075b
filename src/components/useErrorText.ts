'use client';
import { useTranslations } from 'next-intl';

/** What a failed tRPC call carries to the browser (the server's formatter adds `issues`). */
export interface ApiErrorLike {
  message: string;
  data?: { code?: string; issues?: { path: (string | number)[] }[] | null } | null;
}

/**
 * A failed request, said in the page's language. The server's own message is English, so the
 * text comes from the error's code; a bad input names its fields, a fault keeps its log id.
 */
/** Codes said in a sentence of their own; the rest are handled below or said as "failed". */
const PLAIN = {
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'notFound',
  CONFLICT: 'conflict',
  TOO_MANY_REQUESTS: 'rateLimited',
  SERVICE_UNAVAILABLE: 'unavailable',
} as const;

type ErrorKey = (typeof PLAIN)[keyof typeof PLAIN] | 'network' | 'badRequest' | 'invalidFields' | 'internal' | 'failed';

/** Which sentence of `errors` says a failed call, with its values. */
export function errorWords(error: ApiErrorLike): { key: ErrorKey; values?: Record<string, string> } {
  const code = error.data?.code;
  // No answer from the server at all.
  if (code === undefined) return { key: 'network' };
  if (code === 'BAD_REQUEST') {
    const fields = [...new Set((error.data?.issues ?? []).map((i) => i.path.join('.')).filter(Boolean))];
    return fields.length ? { key: 'invalidFields', values: { fields: fields.join(', ') } } : { key: 'badRequest' };
  }
  if (code === 'INTERNAL_SERVER_ERROR')
    return { key: 'internal', values: { id: /\(id ([^)]+)\)/.exec(error.message)?.[1] ?? '–' } };
  return { key: code in PLAIN ? PLAIN[code as keyof typeof PLAIN] : 'failed' };
}

export function useErrorText(): (error: ApiErrorLike) => string {
  const t = useTranslations('errors');
  return (error) => {
    const { key, values } = errorWords(error);
    return t(key, values);
  };
}
