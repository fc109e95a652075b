import { describe, expect, it } from 'vitest';
import { negotiateLocale, requestLocale } from './locales';

describe('the language of a first visit, from Accept-Language', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-TW,zh;q=0.9', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['en-GB', 'en'],
    ['en;q=0.5, zh-CN;q=0.8', 'zh-CN'],
    ['fr-FR,fr;q=0.9,zh-CN;q=0.5,en;q=0.4', 'zh-CN'],
    ['fr-FR,de', 'en'],
    ['zh-CN;q=0, en', 'en'],
    ['*', 'en'],
    ['', 'en'],
  ])('%j reads %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it('falls back to English with no header or a malformed one', () => {
    expect(negotiateLocale(null)).toBe('en');
    expect(negotiateLocale(';;;,q=abc')).toBe('en');
  });
});

describe('a saved choice', () => {
  it('wins over the header', () => {
    expect(requestLocale('en', 'zh-CN')).toBe('en');
    expect(requestLocale('zh-CN', 'en-US')).toBe('zh-CN');
  });

  it('is ignored when it names no language we have', () => {
    expect(requestLocale('de', 'zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(requestLocale(undefined, 'en')).toBe('en');
  });
});
