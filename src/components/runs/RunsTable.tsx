'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { SESSION_STATUSES, type SessionStatus } from '@/shared/vocabulary';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';
import { ConfirmDialog } from '../ConfirmDialog';
import { ProgressBar } from '../ProgressBar';
import { isStalled, StatusBadge } from '../StatusBadge';
import { useFormat } from '../useFormat';
import { useNow } from '../useNow';
import { LatestMetrics } from './LatestMetrics';
import { useSessionList } from './useSessionList';
import { SearchInput } from '../SearchInput';
import { codeTag } from '../richTags';

export const RUNS_QUERY = { limit: 500 };

type SortKey = 'experiment' | 'status' | 'progress' | 'started' | 'duration' | 'lastSeen';

const duration = (s: SessionInfo, now: number) =>
  s.startedAt ? (s.endedAt ?? new Date(now || s.updatedAt.getTime())).getTime() - s.startedAt.getTime() : null;

export function RunsTable({ initial }: { initial: SessionInfo[] }) {
  const t = useTranslations('runs');
  const st = useTranslations('status');
  const fmt = useFormat();
  const router = useRouter();
  const now = useNow();
  const [sessions, setSessions] = useSessionList(initial, RUNS_QUERY);
  const [statuses, setStatuses] = useState<SessionStatus[]>([]);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'started', desc: true });
  const [selected, setSelected] = useState<string[]>([]);
  const [toDelete, setToDelete] = useState<string[] | null>(null);
  const remove = api.session.delete.useMutation();
  // Progress and "last seen" move without status changes; a light refresh keeps them current.
  api.session.list.useQuery(
    { limit: 500 },
    {
      refetchInterval: 5000,
      select: (d) => d.items,
      // Merged into the live list rather than replacing it.
      notifyOnChangeProps: ['data'],
    },
  );
  const utils = api.useUtils();
  const refreshed = utils.session.list.getData({ limit: 500 })?.items;
  const rows = useMemo(() => {
    const fresh = new Map((refreshed ?? []).map((s) => [s.experimentId, s]));
    const q = search.trim().toLowerCase();
    const list = sessions
      .map((s) => {
        const f = fresh.get(s.experimentId);
        return f && f.updatedAt >= s.updatedAt && f.id === s.id ? f : s;
      })
      .filter((s) => (statuses.length ? statuses.includes(s.status) : true))
      .filter((s) => (q ? s.experimentId.toLowerCase().includes(q) : true));
    const value = (s: SessionInfo): number | string => {
      switch (sort.key) {
        case 'experiment':
          return s.experimentId;
        case 'status':
          return SESSION_STATUSES.indexOf(s.status);
        case 'progress':
          return s.totalEpochs ? s.currentEpoch / s.totalEpochs : 0;
        case 'started':
          return (s.startedAt ?? s.createdAt).getTime();
        case 'duration':
          return duration(s, now) ?? -1;
        case 'lastSeen':
          return s.lastSeenAt?.getTime() ?? 0;
      }
    };
    return [...list].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const c = va < vb ? -1 : va > vb ? 1 : 0;
      return sort.desc ? -c : c;
    });
  }, [sessions, refreshed, statuses, search, sort, now]);

  const counts = useMemo(() => {
    const c = Object.fromEntries(SESSION_STATUSES.map((s) => [s, 0])) as Record<SessionStatus, number>;
    for (const s of sessions) c[s.status]++;
    return c;
  }, [sessions]);

  const toggleSort = (key: SortKey) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'experiment' }));
  const header = (key: SortKey, label: string, className = '') => (
    <th
      scope="col"
      aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
      className={`px-3 py-2 font-medium ${className}`}
    >
      <button type="button" onClick={() => toggleSort(key)} className="inline-flex items-center gap-1 hover:text-fg">
        {label}
        <span aria-hidden className={sort.key === key ? 'text-accent' : 'text-transparent'}>
          {sort.desc ? '▼' : '▲'}
        </span>
      </button>
    </th>
  );

  const confirmDelete = async () => {
    if (!toDelete) return;
    for (const id of toDelete) {
      await remove.mutateAsync({ experimentId: id }).catch(() => {});
    }
    setSessions((list) => list.filter((s) => !toDelete.includes(s.experimentId)));
    setSelected((sel) => sel.filter((id) => !toDelete.includes(id)));
    setToDelete(null);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative">
          <SearchInput
            value={search}
            onChange={setSearch}
            placeholder={t('search')}
            label={t('searchLabel')}
            className="w-64 rounded-md border border-line bg-panel px-3 py-1.5 text-sm outline-none placeholder:text-faint focus:border-accent"
          />
        </div>
        <div role="group" aria-label={t('filterByStatus')} className="flex flex-wrap gap-1.5">
          {SESSION_STATUSES.map((status) => {
            const on = statuses.includes(status);
            return (
              <button
                key={status}
                type="button"
                aria-pressed={on}
                data-status={status}
                onClick={() => setStatuses((s) => (on ? s.filter((x) => x !== status) : [...s, status]))}
                className={`rounded-full border px-2.5 py-1 text-xs transition-colors ${
                  on ? 'border-accent bg-accent/15 text-fg' : 'border-line text-muted hover:text-fg'
                }`}
              >
                {st(status)} <span className="text-faint">{fmt.count(counts[status])}</span>
              </button>
            );
          })}
        </div>
        <div className="ml-auto flex items-center gap-2">
          <span className="text-xs text-muted">{t('selected', { count: selected.length })}</span>
          <button
            type="button"
            disabled={selected.length < 2}
            onClick={() => router.push(`/compare?ids=${selected.map(encodeURIComponent).join(',')}`)}
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40"
          >
            {t('compare')}
          </button>
          <button
            type="button"
            disabled={selected.length === 0}
            onClick={() => setToDelete(selected)}
            className="rounded-md border border-red-500/50 px-3 py-1.5 text-sm text-red-600 hover:bg-red-500/10 disabled:opacity-40 dark:text-red-400"
          >
            {t('delete')}
          </button>
        </div>
      </div>

      <div className="overflow-x-auto rounded-xl border border-line bg-panel">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-line text-xs text-muted">
            <tr>
              <th scope="col" className="w-10 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label={t('selectAll')}
                  checked={rows.length > 0 && rows.every((r) => selected.includes(r.experimentId))}
                  onChange={(e) => setSelected(e.target.checked ? rows.map((r) => r.experimentId) : [])}
                  className="accent-[var(--accent)]"
                />
              </th>
              {header('status', t('status'))}
              {header('experiment', t('experiment'))}
              {header('progress', t('progress'), 'w-44')}
              {header('started', t('started'))}
              {header('duration', t('duration'))}
              {header('lastSeen', t('lastSeen'))}
              <th scope="col" className="px-3 py-2 font-medium">
                {t('latestMetrics')}
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={9} className="px-3 py-10 text-center text-muted">
                  {sessions.length === 0 ? t.rich('empty', { code: codeTag('font-mono') }) : t('noMatch')}
                </td>
              </tr>
            )}
            {rows.map((s) => {
              const checked = selected.includes(s.experimentId);
              return (
                <tr
                  key={s.experimentId}
                  data-testid="run-row"
                  data-experiment={s.experimentId}
                  className={`border-b border-line/60 last:border-0 hover:bg-raised/50 ${checked ? 'bg-accent/5' : ''}`}
                >
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={t('select', { id: s.experimentId })}
                      checked={checked}
                      onChange={() =>
                        setSelected((sel) => (checked ? sel.filter((x) => x !== s.experimentId) : [...sel, s.experimentId]))
                      }
                      className="accent-[var(--accent)]"
                    />
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={s.status} stalled={isStalled(s, now)} />
                  </td>
                  <td className="max-w-[18rem] truncate px-3 py-2 font-mono" translate="no">
                    <Link href={`/sessions/${encodeURIComponent(s.experimentId)}`} className="hover:text-accent hover:underline">
                      {s.experimentId}
                    </Link>
                    {s.host && <div className="truncate font-sans text-xs text-faint">{s.host}</div>}
                  </td>
                  <td className="px-3 py-2">
                    <div className="mb-1 text-xs text-muted">
                      <span className="font-mono text-fg">{s.currentEpoch}</span> / {s.totalEpochs || '?'}
                    </div>
                    <ProgressBar
                      value={s.currentEpoch}
                      total={s.totalEpochs}
                      label={t('progressLabel', { id: s.experimentId })}
                    />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-muted">{fmt.dateTime(s.startedAt ?? s.createdAt)}</td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono tabular-nums">{fmt.duration(duration(s, now))}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-muted">{now ? fmt.ago(s.lastSeenAt, now) : '–'}</td>
                  <td className="px-3 py-2 text-xs">
                    <LatestMetrics session={s} />
                  </td>
                  <td className="px-3 py-2 text-right">
                    <button
                      type="button"
                      aria-label={t('deleteLabel', { id: s.experimentId })}
                      title={t('delete')}
                      onClick={() => setToDelete([s.experimentId])}
                      className="rounded p-1 text-faint hover:bg-red-500/10 hover:text-red-500"
                    >
                      <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
                        <path d="M8 2a1 1 0 0 0-1 1v1H4a1 1 0 0 0 0 2h.1l.8 10.1A2 2 0 0 0 6.9 18h6.2a2 2 0 0 0 2-1.9L15.9 6h.1a1 1 0 1 0 0-2h-3V3a1 1 0 0 0-1-1H8Zm1 2h2V4H9Zm-1.5 4a.75.75 0 0 1 .75.7l.3 6a.75.75 0 0 1-1.5.1l-.3-6a.75.75 0 0 1 .75-.8Zm5 0a.75.75 0 0 1 .75.8l-.3 6a.75.75 0 0 1-1.5-.1l.3-6a.75.75 0 0 1 .75-.7Z" />
                      </svg>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <ConfirmDialog
        open={toDelete !== null}
        title={
          toDelete && toDelete.length > 1
            ? t('deleteMany', { count: toDelete.length })
            : t('deleteOne', { id: toDelete?.[0] ?? '' })
        }
        body={t('deleteBody')}
        confirmLabel={t('delete')}
        busy={remove.isPending}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setToDelete(null)}
      />
    </div>
  );
}
