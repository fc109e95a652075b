/**
 * The text a user reads on a page, outside user data: every visible-or-not text node and the
 * title, placeholder, aria-label and alt attributes, skipping code and anything under
 * `translate="no"` (run ids, metric names, hosts, log lines, configs), as the web app marks them.
 * What the page marks as user data is also taken out of the labels that quote it
 * ("<run id> 的进度").
 */
import type { Page } from '@playwright/test';
import { untranslatedWords } from '../../tests/helpers/sameInBoth';

export async function interfaceText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const verbatim = (el: Element) =>
      !!el.closest('script, style, noscript, code, pre, kbd, samp') ||
      el.closest('[translate]')?.getAttribute('translate') === 'no';
    const userData: string[] = [];
    for (const el of document.body.querySelectorAll('[translate="no"]')) {
      const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = texts.nextNode(); n; n = texts.nextNode()) {
        const text = n.textContent?.trim() ?? '';
        if (text.length > 1) userData.push(text);
      }
    }
    userData.sort((a, b) => b.length - a.length);
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim();
      if (el && text && !verbatim(el)) out.push(text);
    }
    for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label], [alt]')) {
      if (verbatim(el)) continue;
      for (const a of ['title', 'placeholder', 'aria-label', 'alt']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out.map((t) => userData.reduce((s, d) => s.replaceAll(d, ' '), t));
  });
}

/**
 * Interface text without the user data it quotes (a label such as "<run id> 的轮次进度"
 * names the run inside the sentence).
 */
async function withoutUserData(page: Page, userData: string[]): Promise<string[]> {
  const longestFirst = [...userData].sort((a, b) => b.length - a.length);
  return (await interfaceText(page)).map((t) => longestFirst.reduce((s, d) => s.replaceAll(d, ' '), t));
}

/** Interface text with English words in it (zh-CN pages should have none). */
export async function englishOnPage(page: Page, userData: string[]): Promise<string[]> {
  return (await withoutUserData(page, userData)).filter((t) => untranslatedWords(t).length > 0);
}

/** Interface text with Chinese in it (en pages should have none). */
export async function chineseOnPage(page: Page, userData: string[]): Promise<string[]> {
  return (await withoutUserData(page, userData)).filter((t) => /\p{Script=Han}/u.test(t));
}
