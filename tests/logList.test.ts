/** Reading back log lines: filters combine, and a search is a plain substring. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestServices } from './helpers/fixtures';

const services = setupTestServices();

beforeAll(async () => {
  await services.sessions.create({ experimentId: 'lines' });
  await services.logs.appendBatch('lines', [
    { level: 'INFO', source: 'trainer', message: 'epoch 1: 100% of batches' },
    { level: 'WARNING', source: 'trainer', message: 'epoch 1: 1000 batches skipped' },
    { level: 'ERROR', source: 'trainer', message: 'grad_norm is NaN' },
    { level: 'WARNING', source: 'trainer', message: 'grad norm clipped' },
    { level: 'CRITICAL', source: 'trainer', message: 'GRAD_NORM exploded' },
  ]);
});

describe('log list', () => {
  it('treats % and _ in a search as themselves, case-insensitively', async () => {
    const percent = await services.logs.list({ experimentId: 'lines', search: '100%' });
    expect(percent.items.map((l) => l.message)).toEqual(['epoch 1: 100% of batches']);
    const underscore = await services.logs.list({ experimentId: 'lines', search: 'grad_norm' });
    expect(underscore.items.map((l) => l.message)).toEqual(['grad_norm is NaN', 'GRAD_NORM exploded']);
  });

  it('combines a minimum level, a search and a seq window', async () => {
    const all = await services.logs.list({ experimentId: 'lines', minLevel: 'WARNING', search: 'grad' });
    expect(all.items.map((l) => l.level)).toEqual(['ERROR', 'WARNING', 'CRITICAL']);
    const window = await services.logs.list({
      experimentId: 'lines',
      minLevel: 'WARNING',
      search: 'grad',
      afterSeq: all.items[0]!.seq,
      beforeSeq: all.items[2]!.seq,
    });
    expect(window.items.map((l) => l.message)).toEqual(['grad norm clipped']);
    const last = await services.logs.list({ experimentId: 'lines', minLevel: 'WARNING', limit: 2 });
    expect(last).toMatchObject({ hasMore: true, items: [{ level: 'WARNING' }, { level: 'CRITICAL' }] });
  });
});
