/**
 * What reads the same in English and Chinese: the product's name, units, acronyms and wire
 * values. Anything else in Latin letters on a page, outside code and user data, is English
 * that was not translated.
 */

export const SAME_IN_BOTH_PHRASES = ['CV Studio Monitor', 'CV Studio', 'Studio Monitor'];

export const SAME_IN_BOTH_WORDS = new Set([
  'CV',
  'GPU',
  'GPUs',
  'CPU',
  'API',
  'JSON',
  'REST',
  'SDK',
  'ID',
  'EMA',
  'mAP',
  'NaN',
  'Inf',
  'Infinity',
  'MHz',
  'GHz',
  'kW',
  'GiB',
  'MiB',
  'KiB',
  'DEBUG',
  'INFO',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'URL',
  'HTTP',
  'WebSocket',
  'OpenAPI',
  'Shift',
  'Ctrl',
  'Webhook',
  'Slack',
  'Mattermost',
]);

/** The words of `text` (two letters or more) that need translating. */
export function untranslatedWords(text: string): string[] {
  let rest = text.replace(/&[a-z]+;/g, ' ');
  for (const phrase of SAME_IN_BOTH_PHRASES) rest = rest.replaceAll(phrase, ' ');
  const words = rest.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [];
  return words.filter((w) => w.length > 1 && !SAME_IN_BOTH_WORDS.has(w));
}

export const needsTranslation = (text: string): boolean => untranslatedWords(text).length > 0;
