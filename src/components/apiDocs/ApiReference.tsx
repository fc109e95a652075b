/**
 * The REST API, readable: every endpoint of the OpenAPI document (generated from the same
 * zod schemas the server validates with), with its fields and a curl line to paste. The
 * document speaks English; its summaries and field notes are shown from the messages
 * (`apiDocs.operations`, `apiDocs.fields`, `apiDocs.query`, `apiDocs.responses`).
 */
import type { getTranslations } from 'next-intl/server';
import { Fragment, type ReactNode } from 'react';
import type { OpenApiDocument } from '@/server/rest/openapi';
import { codeTag } from '../richTags';

export type Translator = Awaited<ReturnType<typeof getTranslations<'apiDocs'>>>;
type Key = Parameters<Translator>[0];

/** The message at `key`, or the document's own English text where none is written yet. */
const lookup = (t: Translator, key: string, fallback: string | undefined): ReactNode =>
  t.has(key as Key) ? t.rich(key as Key, { code } as never) : fallback;

/** Wire names (fields, values, events) inside a message stay code. */
const code = (chunks: ReactNode) => (
  <code translate="no" className="text-zinc-200">
    {chunks}
  </code>
);

/** Parts with a separator between them. */
const joined = (parts: ReactNode[], separator: string): ReactNode[] | null => {
  const shown = parts.filter((p) => p !== null && p !== undefined && p !== false && p !== '' && !(Array.isArray(p) && !p.length));
  return shown.length
    ? shown.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && separator}
          {p}
        </Fragment>
      ))
    : null;
};

type Schema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  additionalProperties?: Schema | boolean;
  anyOf?: Schema[];
};
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Schema };
type Operation = {
  operationId: string;
  summary: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { description: string }>;
  'x-example'?: { experimentId?: string; body?: unknown; query?: string };
};

const BASE = 'http://localhost:8000';
const METHOD_STYLE: Record<string, string> = {
  get: 'bg-sky-900/60 text-sky-300',
  post: 'bg-emerald-900/60 text-emerald-300',
  put: 'bg-amber-900/60 text-amber-300',
  delete: 'bg-rose-900/60 text-rose-300',
};

function typeOf(s: Schema): string {
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.enum) return s.enum.map(String).join(' | ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (s.type === 'object' && typeof s.additionalProperties === 'object' && s.additionalProperties.type) {
    return `{name: ${typeOf(s.additionalProperties)}}`;
  }
  return Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
}

function bounds(t: Translator, s: Schema): ReactNode[] {
  const parts = [
    s.minimum !== undefined && t('minimum', { value: s.minimum }),
    s.maximum !== undefined && t('maximum', { value: s.maximum }),
    s.minLength !== undefined && t('lengthRange', { min: s.minLength, max: s.maxLength ?? '' }),
    s.minLength === undefined && s.maxLength !== undefined && t('maxLength', { max: s.maxLength }),
    s.default !== undefined && t.rich('default', { value: JSON.stringify(s.default), code }),
  ];
  return parts.filter(Boolean);
}

function curlFor(method: string, path: string, op: Operation): string {
  const example = op['x-example'];
  let url = `${BASE}${path.replace('{experiment_id}', example?.experimentId ?? 'my-run')}`;
  if (example?.query) url += `?${example.query}`;
  const parts = [`curl -s${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} '${url}'`];
  if (example?.body !== undefined) {
    parts.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(example.body)}'`);
  }
  return parts.join(' \\\n  ');
}

type Row = { name: string; schema: Schema; required: boolean; note?: ReactNode };

function Fields({ t, title, rows }: { t: Translator; title: string; rows: Row[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="mt-3">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">{title}</h4>
      <table className="mt-1 w-full text-left text-sm">
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className="border-t border-zinc-800 align-top">
              <td className="py-1 pr-4 font-mono text-zinc-100" translate="no">
                {r.name}
                {r.required && <span className="ml-1 text-rose-400">*</span>}
              </td>
              <td className="py-1 pr-4 font-mono text-xs text-violet-300" translate="no">
                {typeOf(r.schema)}
              </td>
              <td className="py-1 text-zinc-400">{joined([r.note, joined(bounds(t, r.schema), ', ')], ' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EndpointCard({ t, method, path, op }: { t: Translator; method: string; path: string; op: Operation }) {
  const body = op.requestBody?.content['application/json'].schema;
  const bodyRows: Row[] = Object.entries(body?.properties ?? {}).map(([name, schema]) => ({
    name,
    schema,
    required: body?.required?.includes(name) ?? false,
    note: lookup(t, `fields.${name}`, schema.description),
  }));
  const paramRows: Row[] = (op.parameters ?? []).map((p) => ({
    name: p.in === 'path' ? `{${p.name}}` : p.name,
    schema: p.schema,
    required: p.required,
    note:
      p.in === 'path'
        ? lookup(t, `fields.${p.name}`, p.description)
        : lookup(t, `query.${op.operationId}.${p.name}`, p.description),
  }));
  return (
    <section id={`${method}-${path}`} className="rounded-lg border border-zinc-800 bg-zinc-900/60 p-4">
      <div className="flex flex-wrap items-center gap-3">
        <span
          translate="no"
          className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_STYLE[method] ?? ''}`}
        >
          {method}
        </span>
        <code className="font-mono text-sm text-zinc-100">{path}</code>
      </div>
      <p className="mt-2 text-sm text-zinc-300">{lookup(t, `operations.${op.operationId}`, op.summary)}</p>
      <Fields t={t} title={t('parameters')} rows={paramRows} />
      <Fields t={t} title={t('body')} rows={bodyRows} />
      <p className="mt-3 text-xs text-zinc-500">
        {t('answers')}{' '}
        {joined(
          Object.entries(op.responses).map(([status, r]) => (
            <span key={status}>
              {status} {lookup(t, `responses.${status}`, r.description)}
            </span>
          )),
          ' · ',
        )}
      </p>
      <pre translate="no" className="mt-3 overflow-x-auto rounded bg-zinc-950 p-3 font-mono text-xs text-zinc-300">
        {curlFor(method, path, op)}
      </pre>
    </section>
  );
}

/** The reference, in the language of `t`. */
export function ApiReference({ t, doc }: { t: Translator; doc: OpenApiDocument }) {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <main className="mx-auto max-w-5xl px-6 py-8">
      <h1 className="text-2xl font-semibold text-zinc-100">{t('heading')}</h1>
      <p className="mt-2 max-w-3xl text-sm text-zinc-400">{t.rich('description', { code: codeTag('text-zinc-200') })}</p>
      <p className="mt-2 text-sm text-zinc-400">
        {t.rich('envelope', {
          success: '{"success": true, "data": ...}',
          error: '{"error": true, "message", "status_code", "path"}',
          code: codeTag('text-zinc-200'),
          link: (text) => (
            <a className="text-sky-400 underline" href="/api/v1/openapi.json" translate="no">
              {text}
            </a>
          ),
        })}
      </p>
      <nav className="mt-6 flex flex-wrap gap-2 text-xs">
        {operations.map(({ path, method }) => (
          <a
            key={`${method}-${path}`}
            href={`#${method}-${path}`}
            className="rounded border border-zinc-800 px-2 py-1 font-mono text-zinc-400 hover:text-zinc-100"
            translate="no"
          >
            {method.toUpperCase()} {path.replace('/api/v1/training/logs', '…')}
          </a>
        ))}
      </nav>
      <div className="mt-6 flex flex-col gap-4">
        {operations.map(({ path, method, op }) => (
          <EndpointCard key={`${method}-${path}`} t={t} method={method} path={path} op={op} />
        ))}
      </div>
    </main>
  );
}
