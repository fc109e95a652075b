'use client';
import { useLocale, useTranslations } from 'next-intl';
import { createFormat, type Format } from './format';

/** One formatter per locale for the whole page: every chart and row shares its Intl objects. */
const shared = new Map<string, Format>();

/** The page's formatting, for the locale it is shown in. */
export function useFormat(): Format {
  const locale = useLocale();
  const never = useTranslations('format')('never');
  const key = `${locale}\u0000${never}`;
  let fmt = shared.get(key);
  if (!fmt) shared.set(key, (fmt = createFormat(locale, { never })));
  return fmt;
}
