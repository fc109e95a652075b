/** Both languages say everything, and say it with the same placeholders. */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { untranslatedWords } from '../../tests/helpers/sameInBoth';
import en from '../../messages/en.json';
import zh from '../../messages/zh-CN.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** The arguments and tags a message uses, wherever they sit (plural branches, tags). */
function placeholders(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.tag) {
      found.add(`<${el.value}>`);
      placeholders(el.children, found);
    } else if (el.type === TYPE.plural || el.type === TYPE.select) {
      found.add(`{${el.value}}`);
      for (const option of Object.values(el.options)) placeholders(option.value, found);
    } else if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time) {
      found.add(`{${el.value}}`);
    }
  }
  return found;
}

/** The words a reader sees, outside <code> (wire names and commands stay as they are). */
function prose(elements: MessageFormatElement[]): string {
  return elements
    .map((el) => {
      if (el.type === TYPE.literal) return el.value;
      if (el.type === TYPE.tag) return el.value === 'code' ? ' ' : prose(el.children);
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        return Object.values(el.options)
          .map((o) => prose(o.value))
          .join(' ');
      }
      return ' ';
    })
    .join('');
}

const english = flatten(en as Tree);
const chinese = flatten(zh as Tree);

/** Names, units and wire values that read the same in both languages. */
const SAME_IN_BOTH = new Set([
  'app.name',
  'app.brand',
  'nav.api',
  'host.cpu',
  'host.gpu',
  'apiDocs.title',
  'apiDocs.minimum',
  'apiDocs.maximum',
  'apiDocs.fields.status',
  'hostPage.runTitle',
]);

describe('messages', () => {
  it('have every key in both languages', () => {
    const missingInChinese = [...english.keys()].filter((k) => !chinese.has(k));
    const missingInEnglish = [...chinese.keys()].filter((k) => !english.has(k));
    expect({ missingInChinese, missingInEnglish }).toEqual({ missingInChinese: [], missingInEnglish: [] });
  });

  it('are never empty and always valid ICU', () => {
    for (const [lang, messages] of [
      ['en', english],
      ['zh-CN', chinese],
    ] as const) {
      for (const [key, text] of messages) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(() => parse(text), `${lang} ${key}`).not.toThrow();
      }
    }
  });

  it('use the same arguments and tags in Chinese as in English', () => {
    const differ: string[] = [];
    for (const [key, text] of english) {
      const other = chinese.get(key);
      if (other === undefined) continue;
      const a = [...placeholders(parse(text))].sort().join(' ');
      const b = [...placeholders(parse(other))].sort().join(' ');
      if (a !== b) differ.push(`${key}: en ${a || '(none)'} / zh-CN ${b || '(none)'}`);
    }
    expect(differ).toEqual([]);
  });

  it('are translated: a Chinese message is not the English one again', () => {
    const untranslated = [...english].filter(([key, text]) => !SAME_IN_BOTH.has(key) && chinese.get(key) === text);
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

  it('in Chinese have no English words outside code', () => {
    const english = [...chinese].flatMap(([key, text]) => {
      const words = untranslatedWords(prose(parse(text)));
      return words.length ? [`${key}: ${words.join(' ')}`] : [];
    });
    expect(english).toEqual([]);
  });

  it('in Chinese contain Chinese, unless they are names or units', () => {
    const han = /\p{Script=Han}/u;
    const latinOnly = [...chinese].filter(([key, text]) => !SAME_IN_BOTH.has(key) && !han.test(text) && /[A-Za-z]/.test(text));
    expect(latinOnly.map(([key]) => key)).toEqual([]);
  });
});
