'use client';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { api } from '@/trpc/react';
import { useFormat } from '../useFormat';
import { alertText, builtinNameKey, conditionText, scopeTexts, type Rule, type Text, type Values } from './alertText';
import type { Alert } from './useAlerts';

/** User data inside a sentence (a metric, a run, the trainer's words) is shown as written. */
const data = (chunks: ReactNode) => <span translate="no">{chunks}</span>;

/** Rules, conditions and alerts in the page's language (see alertText.ts). */
export function useAlertText() {
  const t = useTranslations();
  const fmt = useFormat();
  const rules = api.alert.rules.useQuery();
  // Keys built from rule kinds and statuses escape the typed keys: alertText.test.ts checks them.
  const resolve = (values: Values) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'object' ? t(v.key as never) : v]));
  const rich = (text: Text): ReactNode =>
    'raw' in text ? data(text.raw) : t.rich(text.key as never, { ...resolve(text.values), data } as never);
  const plain = (text: Text): string =>
    'raw' in text ? text.raw : t.markup(text.key as never, { ...resolve(text.values), data: (c: string) => c } as never);
  const statuses = (list: string[]) => list.map((s) => t(`status.${s}` as never)).join(t('alerts.condition.or'));
  const ruleOf = (alert: Alert) => rules.data?.find((r) => r.id === alert.ruleId);
  /** A default rule by its message; a name the user gave, as written. */
  const name = (rule: Pick<Rule, 'builtin' | 'name'>, asText: boolean) => {
    const key = builtinNameKey(rule);
    if (key) return t(key as never);
    return asText ? rule.name : data(rule.name);
  };

  return {
    ruleName: (rule: Pick<Rule, 'builtin' | 'name'>) => name(rule, false),
    ruleNameText: (rule: Pick<Rule, 'builtin' | 'name'>) => name(rule, true) as string,
    condition: (rule: Rule) => rich(conditionText(rule, fmt, statuses)),
    scope: (rule: Rule) =>
      scopeTexts(rule).map((part, i) => (
        <span key={part.key}>
          {i > 0 && ' · '}
          {rich(part)}
        </span>
      )),
    severity: (severity: Rule['severity']) => t(`alerts.severity.${severity}`),
    /** The alert's rule by its current name, translated while it is a default one. */
    alertRuleName: (alert: Alert) => {
      const rule = ruleOf(alert);
      return rule ? name(rule, false) : data(alert.ruleName);
    },
    alertRuleNameText: (alert: Alert) => {
      const rule = ruleOf(alert);
      return rule ? (name(rule, true) as string) : alert.ruleName;
    },
    alertMessage: (alert: Alert) => rich(alertText(alert, ruleOf(alert), fmt)),
    alertMessageText: (alert: Alert) => plain(alertText(alert, ruleOf(alert), fmt)),
  };
}

export type AlertTexts = ReturnType<typeof useAlertText>;
