'use client';
import { useLocale, useTranslations } from 'next-intl';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_S, LOCALE_NAMES, LOCALES, type Locale } from '@/i18n/locales';

/** Kept for a year; the server reads it on every request (src/i18n/request.ts). */
function saveLocale(locale: Locale) {
  document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE_S}; samesite=lax`;
}

/**
 * The interface language. The choice is kept in a cookie that the server reads on every
 * request; the page is then loaded again, so every part (charts included) speaks it at once.
 */
export function LanguageSwitch() {
  const t = useTranslations('language');
  const locale = useLocale();
  const choose = (next: Locale) => {
    if (next === locale) return;
    saveLocale(next);
    window.location.reload();
  };
  return (
    <div role="group" aria-label={t('label')} className="inline-flex rounded-md border border-line p-0.5 text-xs">
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          // Each language is named in itself.
          translate="no"
          aria-pressed={l === locale}
          title={t('switchTo', { language: LOCALE_NAMES[l] })}
          data-testid={`locale-${l}`}
          onClick={() => choose(l)}
          className={`rounded px-2 py-1 transition-colors ${l === locale ? 'bg-raised text-fg' : 'text-muted hover:text-fg'}`}
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
