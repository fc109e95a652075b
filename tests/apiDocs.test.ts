import { createTranslator } from 'next-intl';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiReference, type Translator } from '../src/components/apiDocs/ApiReference';
import type { Locale } from '../src/i18n/locales';
import { loadMessages } from '../src/i18n/messages';
import { buildOpenApiDocument } from '../src/server/rest/openapi';

async function render(locale: Locale) {
  const messages = await loadMessages(locale);
  const t = createTranslator({ locale, messages, namespace: 'apiDocs' }) as unknown as Translator;
  return renderToStaticMarkup(createElement(ApiReference, { t, doc: buildOpenApiDocument() }));
}

const operations = () =>
  Object.entries(buildOpenApiDocument().paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, { operationId: string }>).map(([method, op]) => ({ path, method, ...op })),
  );

it('lists every endpoint of the OpenAPI document with its fields and a curl line', async () => {
  const html = await render('en');
  for (const { path, method } of operations()) expect(html).toContain(`id="${method}-${path}"`);
  // Body fields of the create call, with their rules, and a curl line to paste.
  expect(html).toContain('experiment_id');
  expect(html).toContain('total_epochs');
  expect(html).toContain('curl -s -X POST &#x27;http://localhost:8000/api/v1/training/logs/session&#x27;');
  expect(html).toContain('{name: number}');
});

describe('in Simplified Chinese', () => {
  it('explains every endpoint, field and answer in Chinese, with the wire names as they are', async () => {
    const html = await render('zh-CN');
    const zh = await loadMessages('zh-CN');
    expect(html).toContain('REST API（兼容旧版 CV Studio 客户端）');
    for (const { path, method } of operations()) expect(html).toContain(`id="${method}-${path}"`);
    expect(html).toContain(zh.apiDocs.operations.listSessions);
    expect(html).toContain('追加一行日志（推送 <code translate="no" class="text-zinc-200">log</code>）');
    expect(html).toContain('JSON 请求体');
    expect(html).toContain('训练脚本选定的实验 ID，唯一。');
    expect(html).toContain('只看该级别');
    expect(html).toContain('404 训练运行不存在');
    expect(html).toContain('{name: number}</code>；允许 NaN、Infinity 和 -Infinity');
    expect(html).toContain('curl -s -X POST &#x27;http://localhost:8000/api/v1/training/logs/session&#x27;');
  });

  it('has a message for every summary, described field and answer the document holds', async () => {
    const zh = (await loadMessages('zh-CN')).apiDocs as unknown as Record<string, Record<string, unknown>>;
    const missing: string[] = [];
    const has = (group: string, key: string) => {
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], zh[group]);
      if (typeof value !== 'string') missing.push(`apiDocs.${group}.${key}`);
    };
    for (const op of operations() as unknown as OperationDoc[]) {
      has('operations', op.operationId);
      for (const code of Object.keys(op.responses)) has('responses', code);
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && p.description) has('query', `${op.operationId}.${p.name}`);
      }
      const body = op.requestBody?.content['application/json'].schema.properties ?? {};
      for (const [name, schema] of Object.entries(body)) if (schema.description) has('fields', name);
    }
    expect(missing).toEqual([]);
  });
});

type OperationDoc = {
  operationId: string;
  responses: Record<string, unknown>;
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, { description?: string }> } } } };
};
