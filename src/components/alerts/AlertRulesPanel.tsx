'use client';
import { useState } from 'react';
import { api, type RouterOutputs } from '@/trpc/react';
import { RuleForm } from './RuleForm';

type Rule = RouterOutputs['alert']['rules'][number];

/** What a rule checks, in a line. */
function describe(rule: Rule): string {
  const p = rule.params;
  const words = { above: '>', below: '<', at_least: '≥', at_most: '≤' } as const;
  switch (p.kind) {
    case 'metric_threshold':
      return `${p.metric} ${words[p.op]} ${p.value}${p.afterEpoch !== undefined ? ` from epoch ${p.afterEpoch}` : ''}`;
    case 'metric_plateau':
      return `${p.metric} not improved (${p.goal}) for ${p.epochs} epochs`;
    case 'metric_non_finite':
      return `${p.metric ?? 'any metric'} NaN or infinite`;
    case 'status_change':
      return `status becomes ${p.to.join(' or ')}`;
    case 'run_stalled':
      return 'no heartbeat for 30 s, or silent far longer than its usual gap';
    case 'host_offline':
      return `no sample for ${p.afterSeconds} s`;
    case 'host_metric':
      return `${p.metric} ${words[p.op]} ${p.value} for ${p.forSeconds} s${p.whileRunning ? ' while a run is running' : ''}`;
  }
}

function scopeText(rule: Rule): string {
  const s = rule.scope;
  return (
    [s.run && `run ${s.run}`, s.runPattern && `runs ${s.runPattern}`, s.host && `host ${s.host}`].filter(Boolean).join(', ') ||
    'all'
  );
}

/** Every rule, defaults first: turn on or off, tune, add, remove. */
export function AlertRulesPanel() {
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
          Alert rules
        </h2>
        <button
          type="button"
          onClick={() => setEditing('new')}
          className="ml-auto rounded-md bg-accent px-3 py-1.5 text-sm text-white"
        >
          New rule
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
            <th className="py-1 pr-2">On</th>
            <th className="py-1 pr-2">Rule</th>
            <th className="py-1 pr-2">Condition</th>
            <th className="py-1 pr-2">Scope</th>
            <th className="py-1" />
          </tr>
        </thead>
        <tbody>
          {rules.data?.map((r) => (
            <tr key={r.id} data-testid="alert-rule" className="border-t border-line/60">
              <td className="py-2 pr-2">
                <input
                  type="checkbox"
                  aria-label={`${r.name} on`}
                  checked={r.enabled}
                  onChange={(e) => update.mutate({ id: r.id, enabled: e.target.checked })}
                />
              </td>
              <td className="py-2 pr-2">
                {r.name} <span className="text-xs text-faint">{r.severity}</span>
              </td>
              <td className="py-2 pr-2 text-muted">{describe(r)}</td>
              <td className="py-2 pr-2 text-muted">{scopeText(r)}</td>
              <td className="whitespace-nowrap py-2 text-right">
                <button type="button" onClick={() => setEditing(r)} className="rounded px-2 py-1 text-xs hover:bg-raised">
                  Edit
                </button>
                {!r.builtin && (
                  <button
                    type="button"
                    onClick={() => remove.mutate({ id: r.id })}
                    className="rounded px-2 py-1 text-xs text-red-500 hover:bg-raised"
                  >
                    Delete
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
