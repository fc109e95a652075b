'use client';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ConfirmDialog';
import { api } from '@/trpc/react';

const SCOPES = ['read', 'write', 'admin'] as const;
const SCOPE_HELP: Record<(typeof SCOPES)[number], string> = {
  read: 'dashboards and subscriptions',
  write: 'trainers and collectors: ingest and status (includes read)',
  admin: 'keys and deletion (includes write)',
};

/** Keys for admins: create (the key is shown once), list, revoke. */
export function ApiKeysPanel() {
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

  if (status.isLoading) return <p className="text-sm text-muted">Loading…</p>;
  return (
    <div className="space-y-8">
      <section aria-labelledby="who" className="rounded-xl border border-line bg-panel p-5">
        <h2 id="who" className="font-semibold">
          Access
        </h2>
        {status.data?.open ? (
          <p className="mt-2 text-sm text-muted">
            No API key exists: the app runs open on this loopback address. Create an admin key below to require keys everywhere
            (then sign in with it).
          </p>
        ) : (
          <div className="mt-2 flex items-center justify-between text-sm">
            <span>
              Signed in as <strong>{status.data?.name}</strong> ({status.data?.scope})
            </span>
            <button onClick={() => signOut.mutate()} className="rounded-md border border-line px-3 py-1.5 hover:bg-raised">
              Sign out
            </button>
          </div>
        )}
      </section>

      {isAdmin && (
        <section aria-labelledby="keys" className="rounded-xl border border-line bg-panel p-5">
          <h2 id="keys" className="font-semibold">
            API keys
          </h2>
          <form
            className="mt-4 flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name, scope });
            }}
          >
            <label className="text-sm">
              <span className="block text-muted">Name</span>
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={128}
                placeholder="trainer-1"
                className="mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm outline-none focus:border-accent"
              />
            </label>
            <label className="text-sm">
              <span className="block text-muted">Scope</span>
              <select
                value={scope}
                onChange={(e) => setScope(e.target.value as (typeof SCOPES)[number])}
                className="mt-1 rounded-md border border-line bg-bg px-3 py-1.5 text-sm"
              >
                {SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {s}: {SCOPE_HELP[s]}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={create.isPending} className="rounded-md bg-accent px-3 py-1.5 text-sm text-white">
              Create key
            </button>
          </form>
          {create.error && (
            <p role="alert" className="mt-2 text-sm text-red-400">
              {create.error.message}
            </p>
          )}
          {created && (
            <div role="status" className="mt-4 rounded-md border border-emerald-500/40 bg-emerald-500/10 p-3 text-sm">
              Key <strong>{created.name}</strong>, shown only now — copy it:
              <div className="mt-2 flex items-center gap-2">
                <code className="flex-1 break-all rounded bg-bg px-2 py-1 font-mono">{created.key}</code>
                <button
                  onClick={() => void navigator.clipboard.writeText(created.key)}
                  className="rounded-md border border-line px-2 py-1 hover:bg-raised"
                >
                  Copy
                </button>
              </div>
            </div>
          )}
          <table className="mt-5 w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th className="py-2">Name</th>
                <th>Scope</th>
                <th>Key</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.data?.map((k) => (
                <tr key={k.id} className="border-t border-line">
                  <td className="py-2 font-medium">{k.name}</td>
                  <td>{k.scope}</td>
                  <td className="font-mono text-muted">{k.prefix}…</td>
                  <td className="text-muted">{k.createdAt.toLocaleString()}</td>
                  <td className="text-muted">{k.revokedAt ? 'revoked' : (k.lastUsedAt?.toLocaleString() ?? 'never')}</td>
                  <td className="text-right">
                    {!k.revokedAt && (
                      <button
                        onClick={() => setRevoking(k.name)}
                        className="rounded-md border border-line px-2 py-1 text-red-300 hover:bg-raised"
                        aria-label={`Revoke ${k.name}`}
                      >
                        Revoke
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
        title={`Revoke ${revoking}?`}
        body="Clients using this key, and browsers signed in with it, lose access at once."
        confirmLabel="Revoke"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate({ name: revoking })}
        onCancel={() => setRevoking(null)}
      />
    </div>
  );
}
