'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { api } from '@/trpc/react';
import { useErrorText } from '../useErrorText';
import { useFormat } from '../useFormat';

const SCOPES = ['read', 'write', 'admin'] as const;

/** Keys for admins: create (the key is shown once), list, revoke. */
export function ApiKeysPanel() {
  const t = useTranslations('settings');
  const common = useTranslations('common');
  const fmt = useFormat();
  const errorText = useErrorText();
  const utils = api.useUtils();
  const status = api.auth.status.useQuery();
  const isAdmin = status.data?.scope === 'admin';
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
      <section aria-labelledby="who" className="rounded-xl border border-line bg-panel p-5">
        <h2 id="who" className="font-semibold">
          {t('access')}
        </h2>
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
      </section>

      {isAdmin && (
        <section aria-labelledby="keys" className="rounded-xl border border-line bg-panel p-5">
          <h2 id="keys" className="font-semibold">
            {t('keys')}
          </h2>
          <form
            className="mt-4 flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name, scope });
            }}
          >
            <label className="text-sm">
              <span className="block text-muted">{t('name')}</span>
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={128}
                // An example of what to type, the same in every language.
                translate="no"
                placeholder="trainer-1"
                className="mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm outline-none focus:border-accent"
              />
            </label>
            <label className="text-sm">
              <span className="block text-muted">{t('scope')}</span>
              <select
                value={scope}
                onChange={(e) => setScope(e.target.value as (typeof SCOPES)[number])}
                className="mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm"
              >
                {SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {t(`scopes.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={create.isPending} className="rounded-md bg-accent px-3 py-1.5 text-sm text-white">
              {t('createKey')}
            </button>
          </form>
          {create.error && (
            <p role="alert" className="mt-2 text-sm text-red-400">
              {errorText(create.error)}
            </p>
          )}
          {created && (
            <div role="status" className="mt-4 rounded-md border border-emerald-500/40 bg-emerald-500/10 p-3 text-sm">
              {t.rich('created', { name: created.name, strong: (text) => <strong translate="no">{text}</strong> })}
              <div className="mt-2 flex items-center gap-2">
                <code translate="no" className="flex-1 break-all rounded bg-bg px-2 py-1 font-mono">
                  {created.key}
                </code>
                <button
                  onClick={() => void navigator.clipboard.writeText(created.key)}
                  className="rounded-md border border-line px-2 py-1 hover:bg-raised"
                >
                  {t('copy')}
                </button>
              </div>
            </div>
          )}
          <table className="mt-5 w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th className="py-2">{t('name')}</th>
                <th>{t('scope')}</th>
                <th>{t('key')}</th>
                <th>{t('createdAt')}</th>
                <th>{t('lastUsed')}</th>
                <th />
              </tr>
            </thead>
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
        </section>
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
