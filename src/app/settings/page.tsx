import type { Metadata } from 'next';
import { AlertRulesPanel } from '@/components/alerts/AlertRulesPanel';
import { WebhooksPanel } from '@/components/alerts/WebhooksPanel';
import { ApiKeysPanel } from '@/components/auth/ApiKeysPanel';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <main className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="mb-6 text-xl font-semibold">Settings</h1>
      <div className="space-y-8">
        <ApiKeysPanel />
        <AlertRulesPanel />
        <WebhooksPanel />
      </div>
    </main>
  );
}
