/**
 * JSON as Python's `json` module writes it: the bare tokens NaN, Infinity and -Infinity are
 * numbers (a diverging loss is NaN). Standard JSON is parsed by JSON.parse itself; only a
 * body it rejects is scanned for those tokens, so the common case costs nothing extra.
 */
import { randomUUID } from 'node:crypto';

// A string no client can guess stands for NaN while JSON.parse runs.
const NAN_MARK = `\u0000nan:${randomUUID()}`;
// Written in place of non-finite numbers, then replaced by the bare token in the output.
const TOKEN_MARK = `\u0000num:${randomUUID()}:`;

const WORDS: [string, string][] = [
  ['-Infinity', '-1e999'],
  ['Infinity', '1e999'],
  ['NaN', JSON.stringify(NAN_MARK)],
];

/** Rewrites NaN/±Infinity tokens outside strings into forms JSON.parse reads. */
function rewriteTokens(text: string): string | null {
  let out = '';
  let last = 0;
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // Skip the string, escapes included.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    const match = WORDS.find(([word]) => text.startsWith(word, i));
    if (!match) continue;
    out += text.slice(last, i) + match[1];
    i += match[0].length - 1;
    last = i + 1;
    changed = true;
  }
  return changed ? out + text.slice(last) : null;
}

/** Parses JSON that may contain NaN, Infinity and -Infinity; throws SyntaxError otherwise. */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const rewritten = rewriteTokens(text);
    if (rewritten === null) throw error;
    return restoreNaN(JSON.parse(rewritten));
  }
}

/**
 * Puts NaN back where its mark stands. A loop with its own stack, not a JSON.parse reviver:
 * the reviver recurses once per level, so a deeply nested body would overflow the call stack.
 */
function restoreNaN(root: unknown): unknown {
  if (root === NAN_MARK) return Number.NaN;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      // Defined, not assigned: a key named __proto__ must stay a plain property.
      if (v === NAN_MARK)
        Object.defineProperty(record, key, { value: Number.NaN, writable: true, enumerable: true, configurable: true });
      else if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
  return root;
}

/** JSON.stringify that writes non-finite numbers as NaN, Infinity and -Infinity. */
export function stringifyLenientJson(value: unknown): string {
  let marked = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      marked = true;
      return TOKEN_MARK + String(v);
    }
    return v;
  });
  if (!marked) return text;
  // Marks are whole string values, so `"<mark>X"` can only be one of them.
  const quotedMark = JSON.stringify(TOKEN_MARK).slice(0, -1);
  return text.replaceAll(new RegExp(`${escapeRegExp(quotedMark)}(NaN|Infinity|-Infinity)"`, 'g'), '$1');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
