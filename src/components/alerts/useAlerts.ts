'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type RouterOutputs } from '@/trpc/react';
import { notifyDesktop } from './desktopNotifications';
import type { AlertTexts } from './useAlertText';

export type Alert = RouterOutputs['alert']['list'][number];

/**
 * The latest alerts and the unread count, kept live: each alert raised, resolved or read
 * (by any instance, in any tab) arrives on the subscription and refreshes both. `texts`
 * words the browser notifications in the page's language.
 */
export function useAlerts(texts: AlertTexts, limit = 30) {
  const utils = api.useUtils();
  const list = api.alert.list.useQuery({ limit });
  const unread = api.alert.unreadCount.useQuery();
  const [seen] = useState(() => new Set<number>());
  // The latest wording, without making the subscription's handler change every render.
  const words = useRef(texts);
  useEffect(() => {
    words.current = texts;
  });
  const onData = useCallback(
    (alert: Alert) => {
      if (alert.resolvedAt === null && alert.readAt === null && !seen.has(alert.id)) {
        seen.add(alert.id);
        notifyDesktop(alert, words.current.alertRuleNameText(alert), words.current.alertMessageText(alert));
      }
      void utils.alert.list.invalidate();
      void utils.alert.unreadCount.invalidate();
    },
    [seen, utils],
  );
  api.alert.live.useSubscription(undefined, { onData });
  const markRead = api.alert.markRead.useMutation({
    onSuccess: () => {
      void utils.alert.list.invalidate();
      void utils.alert.unreadCount.invalidate();
    },
  });
  return { alerts: list.data ?? [], unread: unread.data ?? 0, markRead: (ids?: number[]) => markRead.mutate({ ids }) };
}
