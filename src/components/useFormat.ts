'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { createFormat, type Format } from './format';

/** The page's formatting, for the locale it is shown in. */
export function useFormat(): Format {
  const locale = useLocale();
  const t = useTranslations('format');
  const never = t('never');
  return useMemo(() => createFormat(locale, { never }), [locale, never]);
}
