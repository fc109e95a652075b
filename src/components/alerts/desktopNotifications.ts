'use client';
/**
 * Browser notifications for new alerts, only once the user asked for them: the permission
 * prompt is shown from a click (browsers ignore it otherwise), and the choice is remembered.
 */
import type { Alert } from './useAlerts';

const KEY = 'cvsm.desktopNotifications';

export const desktopSupported = () => typeof window !== 'undefined' && 'Notification' in window;

export function desktopEnabled(): boolean {
  return desktopSupported() && Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on';
}

/** Call from a click handler. Resolves whether notifications are now on. */
export async function enableDesktop(): Promise<boolean> {
  if (!desktopSupported()) return false;
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  localStorage.setItem(KEY, permission === 'granted' ? 'on' : 'off');
  return permission === 'granted';
}

export function disableDesktop(): void {
  localStorage.setItem(KEY, 'off');
}

/** `title` and `body` come worded in the page's language. */
export function notifyDesktop(alert: Alert, title: string, body: string): void {
  if (!desktopEnabled() || document.visibilityState === 'visible') return;
  const n = new Notification(title, { body, tag: `cvsm-alert-${alert.id}` });
  n.onclick = () => {
    window.focus();
    window.location.href = alert.link;
  };
}
