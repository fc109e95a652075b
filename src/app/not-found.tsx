import { getTranslations } from 'next-intl/server';
import { MessagePage } from '@/components/MessagePage';

/** An unknown page or run, in the reader's language (Next's own 404 page is English only). */
export default async function NotFound() {
  const t = await getTranslations('notFound');
  return <MessagePage title={t('title')} body={(tags) => t.rich('body', tags)} />;
}
