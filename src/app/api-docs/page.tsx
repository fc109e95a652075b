import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ApiReference } from '@/components/apiDocs/ApiReference';
import { buildOpenApiDocument } from '@/server/rest/openapi';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('apiDocs'))('title') };
}

export default async function ApiDocsPage() {
  return <ApiReference t={await getTranslations('apiDocs')} doc={buildOpenApiDocument()} />;
}
