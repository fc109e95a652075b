'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { api } from '@/trpc/react';
import type { Rule } from './alertText';
import { RuleForm } from './RuleForm';
import { useAlertText } from './useAlertText';

/** Every rule, defaults first: turn on or off, tune, add, remove. */
export function AlertRulesPanel() {
  const t = useTranslations('alerts.rules');
  const texts = useAlertText();
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
    <section aria-labelledby="alert-rules" className="rounded-xl border border-line bg-panel p-5">
      <div className="flex items-center">
        <h2 id="alert-rules" className="font-semibold">
          {t('title')}
        </h2>
        <button
          type="button"
          onClick={() => setEditing('new')}
          className="ml-auto rounded-md bg-accent px-3 py-1.5 text-sm text-white"
        >
          {t('new')}
        </button>
      </div>
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
        <thead className="text-xs text-muted">
          <tr>
            <th className="py-1 pr-2">{t('on')}</th>
            <th className="py-1 pr-2">{t('rule')}</th>
            <th className="py-1 pr-2">{t('condition')}</th>
            <th className="py-1 pr-2">{t('scope')}</th>
            <th className="py-1" />
          </tr>
        </thead>
        <tbody>
          {rules.data?.map((r) => (
            <tr key={r.id} data-testid="alert-rule" className="border-t border-line/60">
              <td className="py-2 pr-2">
                <input
                  type="checkbox"
                  aria-label={t('enabled', { name: texts.ruleNameText(r) })}
                  checked={r.enabled}
                  onChange={(e) => update.mutate({ id: r.id, enabled: e.target.checked })}
                />
              </td>
              <td className="py-2 pr-2">
                {texts.ruleName(r)} <span className="text-xs text-faint">{texts.severity(r.severity)}</span>
              </td>
              <td className="py-2 pr-2 text-muted">{texts.condition(r)}</td>
              <td className="py-2 pr-2 text-muted">{texts.scope(r)}</td>
              <td className="whitespace-nowrap py-2 text-right">
                <button type="button" onClick={() => setEditing(r)} className="rounded px-2 py-1 text-xs hover:bg-raised">
                  {t('edit')}
                </button>
                {!r.builtin && (
                  <button
                    type="button"
                    onClick={() => remove.mutate({ id: r.id })}
                    className="rounded px-2 py-1 text-xs text-red-500 hover:bg-raised"
                  >
                    {t('delete')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
