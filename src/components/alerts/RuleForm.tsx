'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { api, type RouterInputs } from '@/trpc/react';
import { Field, Select } from '../Field';
import { useErrorText } from '../useErrorText';
import type { Rule } from './alertText';
import { useAlertText } from './useAlertText';
import { codeTag } from '../richTags';
type Params = RouterInputs['alert']['createRule']['params'];

/** A starting point for each kind; the JSON below is then edited. */
const EXAMPLES: Record<Params['kind'], Params> = {
  metric_threshold: { kind: 'metric_threshold', metric: 'val_loss', op: 'above', value: 2, afterEpoch: 5 },
  metric_plateau: { kind: 'metric_plateau', metric: 'mAP50', epochs: 10, goal: 'max' },
  metric_non_finite: { kind: 'metric_non_finite' },
  status_change: { kind: 'status_change', to: ['failed', 'stopped'] },
  run_stalled: { kind: 'run_stalled' },
  host_offline: { kind: 'host_offline', afterSeconds: 60 },
  host_metric: { kind: 'host_metric', metric: 'gpu_temp', op: 'at_least', value: 85, forSeconds: 30, whileRunning: false },
};

const KINDS = Object.keys(EXAMPLES) as Params['kind'][];
const SEVERITIES = ['info', 'warning', 'critical'] as const;

const field = 'mt-1 w-full rounded-md border border-line bg-bg px-3 py-1.5 text-sm outline-none focus:border-accent';

/**
 * Creates a rule or tunes one. Parameters are edited as JSON, checked by the server's schema,
 * whose answer names the bad field.
 */
export function RuleForm({ rule, onDone }: { rule: Rule | null; onDone: () => void }) {
  const t = useTranslations('alerts');
  const texts = useAlertText();
  const errorText = useErrorText();
  const [name, setName] = useState(rule?.name ?? '');
  const [severity, setSeverity] = useState(rule?.severity ?? 'warning');
  const [kind, setKind] = useState<Params['kind']>(rule?.params.kind ?? 'metric_threshold');
  const [params, setParams] = useState(JSON.stringify(rule?.params ?? EXAMPLES.metric_threshold, null, 2));
  const [scope, setScope] = useState(JSON.stringify(rule?.scope ?? {}, null, 2));
  const [error, setError] = useState<string | null>(null);
  const create = api.alert.createRule.useMutation({ onSuccess: onDone, onError: (e) => setError(errorText(e)) });
  const update = api.alert.updateRule.useMutation({ onSuccess: onDone, onError: (e) => setError(errorText(e)) });

  const submit = () => {
    let parsed: { params: Params; scope: Record<string, string> };
    try {
      parsed = { params: JSON.parse(params) as Params, scope: JSON.parse(scope) as Record<string, string> };
    } catch (e) {
      setError(t('form.badJson', { error: (e as Error).message }));
      return;
    }
    setError(null);
    if (rule) update.mutate({ id: rule.id, name, severity, params: parsed.params, scope: parsed.scope });
    else create.mutate({ name, severity, params: parsed.params, scope: parsed.scope });
  };

  return (
    <form
      aria-label={rule ? t('form.edit', { name: texts.ruleNameText(rule) }) : t('form.new')}
      className="mt-4 grid gap-3 rounded-lg border border-line p-4 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Field label={t('form.name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} className={field} />
      </Field>
      <Field label={t('form.severity')}>
        <Select
          value={severity}
          options={SEVERITIES.map((s) => ({ id: s, label: texts.severity(s) }))}
          onChange={setSeverity}
          className={field}
        />
      </Field>
      <Field label={t('form.kind')}>
        <Select
          value={kind}
          disabled={rule !== null}
          options={KINDS.map((k) => ({ id: k, label: t(`kinds.${k}`) }))}
          onChange={(k) => {
            setKind(k);
            setParams(JSON.stringify(EXAMPLES[k], null, 2));
          }}
          className={field}
        />
      </Field>
      <Field label={t('form.params')} className="text-sm sm:col-span-2">
        <textarea value={params} onChange={(e) => setParams(e.target.value)} rows={6} className={`${field} font-mono`} />
      </Field>
      <Field label={t.rich('form.scope', { code: codeTag('font-mono') })}>
        <textarea value={scope} onChange={(e) => setScope(e.target.value)} rows={6} className={`${field} font-mono`} />
      </Field>
      {error && (
        <p role="alert" className="text-sm text-red-500 sm:col-span-3">
          {error}
        </p>
      )}
      <div className="flex gap-2 sm:col-span-3">
        <button type="submit" className="rounded-md bg-accent px-3 py-1.5 text-sm text-white">
          {rule ? t('form.save') : t('form.create')}
        </button>
        <button type="button" onClick={onDone} className="rounded-md border border-line px-3 py-1.5 text-sm hover:bg-raised">
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
