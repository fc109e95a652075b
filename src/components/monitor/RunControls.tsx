'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { SessionStatus } from '@/shared/vocabulary';
import { api } from '@/trpc/react';
import { ConfirmDialog } from '../ConfirmDialog';
import { useErrorText } from '../useErrorText';

type Action = 'pause' | 'resume' | 'stop';

/** Pause, resume and stop: requests the trainer picks up; its status change is the answer. */
export function RunControls({ experimentId, status }: { experimentId: string; status: SessionStatus }) {
  const t = useTranslations('controls');
  const errorText = useErrorText();
  const control = api.session.requestControl.useMutation();
  const [sent, setSent] = useState<{ action: Action; status: SessionStatus } | null>(null);
  const [confirmStop, setConfirmStop] = useState(false);
  const send = (action: Action) => {
    setSent({ action, status });
    control.mutate({ experimentId, action });
  };
  // A request is pending until the status moves on from where it was sent.
  const waiting = sent !== null && sent.status === status && !control.isError;
  const btn =
    'inline-flex items-center gap-1.5 rounded-md border border-line px-3 py-1.5 text-sm font-medium transition-colors hover:bg-raised disabled:cursor-not-allowed disabled:opacity-40';
  return (
    <div className="flex flex-wrap items-center gap-2">
      {status === 'paused' ? (
        <button type="button" className={btn} onClick={() => send('resume')} disabled={waiting}>
          <span aria-hidden>▶</span> {t('resume')}
        </button>
      ) : (
        <button type="button" className={btn} onClick={() => send('pause')} disabled={waiting || status !== 'running'}>
          <span aria-hidden>❚❚</span> {t('pause')}
        </button>
      )}
      <button
        type="button"
        className={`${btn} text-red-600 dark:text-red-400`}
        onClick={() => setConfirmStop(true)}
        disabled={waiting || !['running', 'paused', 'queued'].includes(status)}
      >
        <span aria-hidden>■</span> {t('stop')}
      </button>
      <span role="status" className="text-xs text-muted">
        {control.isError
          ? t('failed', { message: errorText(control.error) })
          : waiting
            ? t('requested', { action: sent.action })
            : ''}
      </span>
      <ConfirmDialog
        open={confirmStop}
        title={t('stopTitle', { id: experimentId })}
        body={t('stopBody')}
        confirmLabel={t('stopConfirm')}
        onConfirm={() => {
          setConfirmStop(false);
          send('stop');
        }}
        onCancel={() => setConfirmStop(false)}
      />
    </div>
  );
}
