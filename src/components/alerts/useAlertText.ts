'use client';
import { useTranslations } from 'next-intl';
import { api } from '@/trpc/react';
import { useFormat } from '../useFormat';
import { alertText, builtinNameKey, conditionText, scopeTexts, type Rule, type Text, type Values } from './alertText';
import type { Alert } from './useAlerts';

/** Rules, conditions and alerts in the page's language (see alertText.ts). */
export function useAlertText() {
  const t = useTranslations();
  const fmt = useFormat();
  const rules = api.alert.rules.useQuery();
  // Keys built from rule kinds and statuses escape the typed keys: alertText.test.ts checks them.
  const say = (key: string, values: Values = {}): string => {
    const resolved = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === 'object' ? t(v.key as never) : v]),
    );
    return t(key as never, resolved as never);
  };
  const show = (text: Text) => ('raw' in text ? text.raw : say(text.key, text.values));
  const statuses = (list: string[]) => list.map((s) => t(`status.${s}` as never)).join(t('alerts.condition.or'));
  const ruleName = (rule: Pick<Rule, 'builtin' | 'name'>) => {
    const key = builtinNameKey(rule);
    return key ? say(key) : rule.name;
  };
  const ruleOf = (alert: Alert) => rules.data?.find((r) => r.id === alert.ruleId);

  return {
    ruleName,
    condition: (rule: Rule) => show(conditionText(rule, fmt, statuses)),
    scope: (rule: Rule) =>
      scopeTexts(rule)
        .map((part) => say(part.key, part.values))
        .join(' · '),
    severity: (severity: Rule['severity']) => t(`alerts.severity.${severity}`),
    /** The alert's rule by its current name, translated while it is a default one. */
    alertRuleName: (alert: Alert) => {
      const rule = ruleOf(alert);
      return rule ? ruleName(rule) : alert.ruleName;
    },
    alertMessage: (alert: Alert) => show(alertText(alert, ruleOf(alert), fmt)),
  };
}

export type AlertTexts = ReturnType<typeof useAlertText>;
