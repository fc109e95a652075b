'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useAuthStatus } from '../auth/useAuthStatus';
import { api, type RouterInputs } from '@/trpc/react';
import { Field, FormError, Select, SubmitButton } from '../Field';
import { SettingsSection } from '../SettingsSection';
import { columns, TableHead } from '../TableHead';
import { useFormat } from '../useFormat';
import { codeTag } from '../richTags';

type Format = NonNullable<RouterInputs['alert']['createWebhook']['format']>;
/** The choices, in order; each is named under `alerts.webhooks.formats`. */
const FORMATS: (Format | 'auto')[] = ['auto', 'generic', 'feishu', 'dingtalk', 'wecom'];
const field = 'mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm outline-none focus:border-accent';

/** Where alerts are sent, and the log of what was sent (admins). */
export function WebhooksPanel() {
  const t = useTranslations('alerts');
  const fmt = useFormat();
  const utils = api.useUtils();
  const { isAdmin } = useAuthStatus();
  const hooks = api.alert.webhooks.useQuery(undefined, { enabled: isAdmin });
  const log = api.alert.deliveries.useQuery({ limit: 50 }, { enabled: isAdmin, refetchInterval: 5000 });
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<Format | 'auto'>('auto');
  const refresh = () => void utils.alert.webhooks.invalidate();
  const create = api.alert.createWebhook.useMutation({
    onSuccess: () => {
      setName('');
      setUrl('');
      refresh();
    },
  });
  const toggle = api.alert.setWebhookEnabled.useMutation({
    onMutate: async ({ id, enabled }) => {
      await utils.alert.webhooks.cancel();
      utils.alert.webhooks.setData(undefined, (hooks) => hooks?.map((w) => (w.id === id ? { ...w, enabled } : w)));
    },
    onSettled: refresh,
  });
  const remove = api.alert.deleteWebhook.useMutation({ onSuccess: refresh });
  if (!isAdmin) return null;

  return (
    <SettingsSection id="webhooks" title={t('webhooks.title')}>
      <ul className="mt-3 space-y-1 text-sm">
        {hooks.data?.length === 0 && <li className="text-muted">{t('webhooks.none')}</li>}
        {hooks.data?.map((w) => (
          <li key={w.id} data-testid="webhook" className="flex items-center gap-3">
            <input
              type="checkbox"
              aria-label={t('webhooks.enabled', { name: w.name })}
              checked={w.enabled}
              onChange={(e) => toggle.mutate({ id: w.id, enabled: e.target.checked })}
            />
            <span translate="no">{w.name}</span>
            <span className="text-xs text-faint">{t(`webhooks.formats.${w.format}`)}</span>
            <span translate="no" className="min-w-0 flex-1 truncate font-mono text-xs text-muted">
              {w.url}
            </span>
            {w.fromEnv ? (
              <span className="text-xs text-faint">{t.rich('webhooks.fromEnv', { code: codeTag('font-mono') })}</span>
            ) : (
              <button type="button" onClick={() => remove.mutate({ id: w.id })} className="text-xs text-red-500">
                {t('webhooks.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="mt-4 flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, url, ...(format === 'auto' ? {} : { format }) });
        }}
      >
        <Field label={t('webhooks.name')}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            placeholder={t('webhooks.namePlaceholder')}
            className={field}
          />
        </Field>
        <Field label={t('webhooks.url')} className="min-w-[18rem] flex-1 text-sm">
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            type="url"
            // An example address, the same in every language.
            translate="no"
            placeholder="https://hooks.slack.com/services/…"
            className={`${field} w-full`}
          />
        </Field>
        <Field label={t('webhooks.format')}>
          <Select
            value={format}
            options={FORMATS.map((f) => ({ id: f, label: t(`webhooks.formats.${f}`) }))}
            onChange={setFormat}
            className={field}
          />
        </Field>
        <SubmitButton label={t('webhooks.add')} busy={create.isPending} />
      </form>
      <FormError error={create.error} className="mt-2 text-sm text-red-500" />
      <h3 className="mt-6 text-sm font-semibold">{t('deliveries.title')}</h3>
      <table className="mt-2 w-full text-left text-xs">
        <TableHead
          className="text-muted"
          cols={columns(
            'py-1 pr-2',
            t('deliveries.when'),
            t('deliveries.alert'),
            t('deliveries.webhook'),
            t('deliveries.event'),
            t('deliveries.outcome'),
          )}
        />
        <tbody>
          {log.data?.map((d) => (
            <tr key={d.id} className="border-t border-line/60">
              <td className="py-1 pr-2">{fmt.dateTime(d.deliveredAt ?? d.createdAt)}</td>
              <td className="py-1 pr-2">#{d.alertId}</td>
              <td translate="no" className="py-1 pr-2">
                {d.webhookName}
              </td>
              <td className="py-1 pr-2">{t(`deliveries.events.${d.event}`)}</td>
              <td
                className={`py-1 pr-2 ${d.status === 'failed' ? 'text-red-500' : d.status === 'pending' ? 'text-amber-500' : ''}`}
              >
                {t('deliveries.status', { status: d.status, attempts: d.attempts })}
                {d.lastError && <span translate="no"> ({d.lastError})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </SettingsSection>
  );
}
