/**
 * next-intl's request configuration: the locale of each server render, from the language
 * cookie or else the browser's Accept-Language, with that locale's messages.
 */
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE, requestLocale } from './locales';
import { loadMessages } from './messages';

export default getRequestConfig(async () => {
  const [jar, head] = await Promise.all([cookies(), headers()]);
  const locale = requestLocale(jar.get(LOCALE_COOKIE)?.value, head.get('accept-language'));
  return { locale, messages: await loadMessages(locale) };
});
