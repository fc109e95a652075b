'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { CreatedKey } from './CreatedKey';
import { useAuthStatus } from './useAuthStatus';
import { api } from '@/trpc/react';
import { Field, FormError, Select, SubmitButton } from '../Field';
import { SettingsSection } from '../SettingsSection';
import { columns, TableHead } from '../TableHead';
import { useFormat } from '../useFormat';

const SCOPES = ['read', 'write', 'admin'] as const;
const field = 'mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm outline-none focus:border-accent';

/** Keys for admins: create (the key is shown once), list, revoke. */
export function ApiKeysPanel() {
  const t = useTranslations('settings');
  const common = useTranslations('common');
  const fmt = useFormat();
  const utils = api.useUtils();
  const { status, isAdmin } = useAuthStatus();
  const keys = api.apiKey.list.useQuery(undefined, { enabled: isAdmin });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<(typeof SCOPES)[number]>('write');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const create = api.apiKey.create.useMutation({
    onSuccess: ({ key, info }) => {
      setCreated({ name: info.name, key });
      setName('');
      void utils.apiKey.list.invalidate();
      void utils.auth.status.invalidate();
    },
  });
  const revoke = api.apiKey.revoke.useMutation({
    onSuccess: () => {
      setRevoking(null);
      void utils.apiKey.list.invalidate();
    },
  });
  const signOut = api.auth.signOut.useMutation({ onSuccess: () => window.location.reload() });

  if (status.isLoading) return <p className="text-sm text-muted">{common('loading')}</p>;
  return (
    <div className="space-y-8">
      <SettingsSection id="who" title={t('access')}>
        {status.data?.open ? (
          <p className="mt-2 text-sm text-muted">{t('openMode')}</p>
        ) : (
          <div className="mt-2 flex items-center justify-between text-sm">
            <span>
              {t.rich('signedInAs', {
                name: status.data?.name ?? '',
                scope: status.data?.scope ? t(`scopeNames.${status.data.scope}`) : '',
                strong: (text) => <strong translate="no">{text}</strong>,
              })}
            </span>
            <button onClick={() => signOut.mutate()} className="rounded-md border border-line px-3 py-1.5 hover:bg-raised">
              {t('signOut')}
            </button>
          </div>
        )}
      </SettingsSection>

      {isAdmin && (
        <SettingsSection id="keys" title={t('keys')}>
          <form
            className="mt-4 flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name, scope });
            }}
          >
            <Field label={t('name')}>
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={128}
                // An example of what to type, the same in every language.
                translate="no"
                placeholder="trainer-1"
                className={field}
              />
            </Field>
            <Field label={t('scope')}>
              <Select
                value={scope}
                options={SCOPES.map((s) => ({ id: s, label: t(`scopes.${s}`) }))}
                onChange={setScope}
                className="mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm"
              />
            </Field>
            <SubmitButton label={t('createKey')} busy={create.isPending} />
          </form>
          <FormError error={create.error} className="mt-2 text-sm text-red-400" />
          {created && <CreatedKey name={created.name} apiKey={created.key} />}
          <table className="mt-5 w-full text-left text-sm">
            <TableHead
              className="text-xs uppercase tracking-wide text-muted"
              cols={[
                { label: t('name'), className: 'py-2' },
                ...columns(undefined, t('scope'), t('key'), t('createdAt'), t('lastUsed')),
                {},
              ]}
            />
            <tbody>
              {keys.data?.map((k) => (
                <tr key={k.id} className="border-t border-line">
                  <td className="py-2 font-medium" translate="no">
                    {k.name}
                  </td>
                  <td>{t(`scopeNames.${k.scope}`)}</td>
                  <td className="font-mono text-muted" translate="no">
                    {k.prefix}…
                  </td>
                  <td className="text-muted">{fmt.dateTimeFull(k.createdAt)}</td>
                  <td className="text-muted">
                    {k.revokedAt ? t('revoked') : k.lastUsedAt ? fmt.dateTimeFull(k.lastUsedAt) : fmt.never}
                  </td>
                  <td className="text-right">
                    {!k.revokedAt && (
                      <button
                        onClick={() => setRevoking(k.name)}
                        className="rounded-md border border-line px-2 py-1 text-red-300 hover:bg-raised"
                        aria-label={t('revokeLabel', { name: k.name })}
                      >
                        {t('revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </SettingsSection>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t('revokeTitle', { name: revoking ?? '' })}
        body={t('revokeBody')}
        confirmLabel={t('revoke')}
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ name: revoking })}
        onCancel={() => setRevoking(null)}
      />
    </div>
  );
}
