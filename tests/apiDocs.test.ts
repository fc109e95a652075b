import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, it } from 'vitest';
import ApiDocsPage from '../src/app/api-docs/page';
import { buildOpenApiDocument } from '../src/server/rest/openapi';

it('lists every endpoint of the OpenAPI document with its fields and a curl line', () => {
  const html = renderToStaticMarkup(createElement(ApiDocsPage));
  const doc = buildOpenApiDocument();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) expect(html).toContain(`id="${method}-${path}"`);
  }
  // Body fields of the create call, with their rules, and a curl line to paste.
  expect(html).toContain('experiment_id');
  expect(html).toContain('total_epochs');
  expect(html).toContain('curl -s -X POST &#x27;http://localhost:8000/api/v1/training/logs/session&#x27;');
  expect(html).toContain('{name: number}');
});
