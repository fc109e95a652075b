'use client';
/** One alert rule in the rules table: its switch, name and severity, condition, scope and actions. */
import { useTranslations } from 'next-intl';
import type { Rule } from './alertText';
import { useAlertText } from './useAlertText';

export function RuleRow({
  rule: r,
  onEnabled,
  onEdit,
  onDelete,
}: {
  rule: Rule;
  onEnabled: (enabled: boolean) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const t = useTranslations('alerts.rules');
  const texts = useAlertText();
  return (
    <tr data-testid="alert-rule" className="border-t border-line/60">
      <td className="py-2 pr-2">
        <input
          type="checkbox"
          aria-label={t('enabled', { name: texts.ruleNameText(r) })}
          checked={r.enabled}
          onChange={(e) => onEnabled(e.target.checked)}
        />
      </td>
      <td className="py-2 pr-2">
        {texts.ruleName(r)} <span className="text-xs text-faint">{texts.severity(r.severity)}</span>
      </td>
      <td className="py-2 pr-2 text-muted">{texts.condition(r)}</td>
      <td className="py-2 pr-2 text-muted">{texts.scope(r)}</td>
      <td className="whitespace-nowrap py-2 text-right">
        <button type="button" onClick={onEdit} className="rounded px-2 py-1 text-xs hover:bg-raised">
          {t('edit')}
        </button>
        {/* The built-in rules can be turned off, not removed. */}
        {!r.builtin && (
          <button type="button" onClick={onDelete} className="rounded px-2 py-1 text-xs text-red-500 hover:bg-raised">
            {t('delete')}
          </button>
        )}
      </td>
    </tr>
  );
}
