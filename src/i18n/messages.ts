import type { Locale } from './locales';

/** One locale's messages, loaded on demand (each file is its own chunk). */
export async function loadMessages(locale: Locale): Promise<Messages> {
  return locale === 'zh-CN'
    ? (await import('../../messages/zh-CN.json')).default
    : (await import('../../messages/en.json')).default;
}

export type Messages = typeof import('../../messages/en.json');
