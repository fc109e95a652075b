/** The languages of the web app, and how a request's language is chosen. */

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie the header's language switch writes (next-intl's usual name). */
export const LOCALE_COOKIE = 'NEXT_LOCALE';
/** A year: the choice outlives the browser session. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v);

/** The supported locale a language tag means, if any: every Chinese variant reads zh-CN. */
function match(tag: string): Locale | null {
  const lower = tag.toLowerCase();
  const primary = lower.split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return null;
}

/**
 * The locale an `Accept-Language` header prefers, by its q-values (RFC 9110 §12.5.4); the
 * default when it names none we have.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.q > 0 && Number.isFinite(r.q))
    // Highest q first; among equals, the header's own order.
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    const hit = match(r.tag);
    if (hit) return hit;
  }
  return DEFAULT_LOCALE;
}

/** A saved choice wins over the header. */
export function requestLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  return isLocale(cookie) ? cookie : negotiateLocale(acceptLanguage);
}
