'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { api } from '@/trpc/react';
import { SettingsSection } from '../SettingsSection';
import { columns, TableHead } from '../TableHead';
import type { Rule } from './alertText';
import { RuleForm } from './RuleForm';
import { RuleRow } from './RuleRow';

/** Every rule, defaults first: turn on or off, tune, add, remove. */
export function AlertRulesPanel() {
  const t = useTranslations('alerts.rules');
  const utils = api.useUtils();
  const rules = api.alert.rules.useQuery();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const refresh = () => void utils.alert.rules.invalidate();
  const update = api.alert.updateRule.useMutation({
    // The switch moves at once; the server's answer then replaces the guess.
    onMutate: async (change) => {
      await utils.alert.rules.cancel(); // a read in flight must not undo the guess
      utils.alert.rules.setData(undefined, (rules) =>
        rules?.map((r) => (r.id === change.id && change.enabled !== undefined ? { ...r, enabled: change.enabled } : r)),
      );
    },
    onSettled: refresh,
  });
  const remove = api.alert.deleteRule.useMutation({ onSuccess: refresh });

  return (
    <SettingsSection
      id="alert-rules"
      title={t('title')}
      action={
        <button
          type="button"
          onClick={() => setEditing('new')}
          className="ml-auto rounded-md bg-accent px-3 py-1.5 text-sm text-white"
        >
          {t('new')}
        </button>
      }
    >
      {editing && (
        <RuleForm
          rule={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
      <table className="mt-4 w-full text-left text-sm">
        <TableHead
          className="text-xs text-muted"
          cols={[...columns('py-1 pr-2', t('on'), t('rule'), t('condition'), t('scope')), { className: 'py-1' }]}
        />
        <tbody>
          {rules.data?.map((r) => (
            <RuleRow
              key={r.id}
              rule={r}
              onEnabled={(enabled) => update.mutate({ id: r.id, enabled })}
              onEdit={() => setEditing(r)}
              onDelete={() => remove.mutate({ id: r.id })}
            />
          ))}
        </tbody>
      </table>
    </SettingsSection>
  );
}
