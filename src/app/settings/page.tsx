import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { AlertRulesPanel } from '@/components/alerts/AlertRulesPanel';
import { WebhooksPanel } from '@/components/alerts/WebhooksPanel';
import { ApiKeysPanel } from '@/components/auth/ApiKeysPanel';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const t = await getTranslations('settings');
  return (
    <main className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="mb-6 text-xl font-semibold">{t('title')}</h1>
      <div className="space-y-8">
        <ApiKeysPanel />
        <AlertRulesPanel />
        <WebhooksPanel />
      </div>
    </main>
  );
}
