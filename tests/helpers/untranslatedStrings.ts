/**
 * Finds text in the web app's sources that a user would read but that does not come from the
 * translator: JSX text, user-visible attributes (title, placeholder, aria-label, alt, label...),
 * string literals rendered as children, and label-like properties of object literals.
 * Text inside <code>, <pre> or <kbd>, or under `translate="no"`, is shown as written; so is a
 * line marked `i18n-exempt` (with its reason).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { needsTranslation } from './sameInBoth';

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Attributes and props whose value a user reads or hears. */
const VISIBLE_ATTRIBUTES = new Set([
  'title',
  'placeholder',
  'alt',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'label',
  'confirmLabel',
  'cancelLabel',
  'body',
  'heading',
  'description',
  'message',
  'tooltip',
  'caption',
  'subtitle',
  'sub',
  'hint',
  'emptyText',
]);

/** Object properties that hold a label, a title or a message (tables of nav items, columns, looks). */
const LABEL_PROPERTIES = new Set([
  'label',
  'title',
  'placeholder',
  'body',
  'confirmLabel',
  'description',
  'message',
  'heading',
  'tooltip',
  'hint',
  'caption',
  'subtitle',
  'summary',
]);

/** Calls that put their text in front of the user: dialogs and toasts. */
const MESSAGE_SINKS = /^(window\.)?(alert|confirm|prompt)$|(^|\.)(toast|notify)(\.\w+)?$/;

/** Elements whose text is code, shown as written. */
const VERBATIM_ELEMENTS = new Set(['code', 'pre', 'kbd', 'samp']);

/** The literal text an expression can evaluate to, without following calls (t('key') is fine). */
function literalParts(e: ts.Expression): { node: ts.Node; text: string }[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [{ node: e, text: e.text }];
  if (ts.isTemplateExpression(e)) {
    return [{ node: e, text: [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' ') }];
  }
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) {
    return literalParts(e.expression);
  }
  if (ts.isConditionalExpression(e)) return [...literalParts(e.whenTrue), ...literalParts(e.whenFalse)];
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return [...literalParts(e.left), ...literalParts(e.right)];
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalParts(e.right);
  }
  return [];
}

function jsxName(node: ts.JsxOpeningLikeElement): string {
  return node.tagName.getText();
}

function attribute(node: ts.JsxOpeningLikeElement, name: string): string | undefined {
  for (const a of node.attributes.properties) {
    if (ts.isJsxAttribute(a) && a.name.getText() === name && a.initializer && ts.isStringLiteral(a.initializer)) {
      return a.initializer.text;
    }
  }
  return undefined;
}

/** Inside <code> and friends, or under translate="no" (the nearest translate attribute decides). */
function isVerbatim(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n)) {
      const open = ts.isJsxElement(n) ? n.openingElement : n;
      if (VERBATIM_ELEMENTS.has(jsxName(open))) return true;
      const translate = attribute(open, 'translate');
      if (translate === 'no') return true;
      if (translate === 'yes') return false;
    }
  }
  return false;
}

export function scanSource(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(
    file,
    source,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const lines = source.split('\n');
  const findings: Finding[] = [];
  const exempt = (line: number) => /i18n-exempt/.test(lines[line] ?? '') || /i18n-exempt/.test(lines[line - 1] ?? '');
  const report = (node: ts.Node, text: string) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    if (!needsTranslation(text) || exempt(line) || isVerbatim(node)) return;
    findings.push({ file, line: line + 1, text: text.replace(/\s+/g, ' ').trim() });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const p of literalParts(node.expression)) report(p.node, p.text);
    } else if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText()) && node.initializer) {
      const init = node.initializer;
      if (ts.isStringLiteral(init)) report(init, init.text);
      else if (ts.isJsxExpression(init) && init.expression) for (const p of literalParts(init.expression)) report(p.node, p.text);
    } else if (ts.isPropertyAssignment(node) && LABEL_PROPERTIES.has(node.name.getText().replace(/['"]/g, ''))) {
      for (const p of literalParts(node.initializer)) report(p.node, p.text);
    } else if (ts.isCallExpression(node) && MESSAGE_SINKS.test(node.expression.getText())) {
      for (const arg of node.arguments) for (const p of literalParts(arg)) report(p.node, p.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) && !entry.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every finding under the given folders (src/app and src/components). */
export function scanTree(root: string, dirs: string[]): Finding[] {
  return dirs
    .flatMap((d) => sources(path.join(root, d)))
    .flatMap((f) => scanSource(path.relative(root, f), readFileSync(f, 'utf8')));
}
