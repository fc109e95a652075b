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
export function useErrorText(): (error: ApiErrorLike) => string {
  const t = useTranslations('errors');
  return (error) => {
    switch (error.data?.code) {
      case 'BAD_REQUEST': {
        const fields = [...new Set((error.data.issues ?? []).map((i) => i.path.join('.')).filter(Boolean))];
        return fields.length ? t('invalidFields', { fields: fields.join(', ') }) : t('badRequest');
      }
      case 'UNAUTHORIZED':
        return t('unauthorized');
      case 'FORBIDDEN':
        return t('forbidden');
      case 'NOT_FOUND':
        return t('notFound');
      case 'CONFLICT':
        return t('conflict');
      case 'TOO_MANY_REQUESTS':
        return t('rateLimited');
      case 'SERVICE_UNAVAILABLE':
        return t('unavailable');
      case 'INTERNAL_SERVER_ERROR':
        return t('internal', { id: /\(id ([^)]+)\)/.exec(error.message)?.[1] ?? '–' });
      case undefined:
        // No answer from the server at all.
        return t('network');
      default:
        return t('failed');
    }
  };
}
