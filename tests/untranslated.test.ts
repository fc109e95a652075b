import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanSource, scanTree } from './helpers/untranslatedStrings';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('the web app', () => {
  it('shows no text that bypasses the translator (see README, "Languages")', () => {
    const findings = scanTree(ROOT, ['src/app', 'src/components']).map((f) => `${f.file}:${f.line}  ${f.text}`);
    expect(findings).toEqual([]);
  });
});

describe('the scan', () => {
  const scan = (code: string) => scanSource('Example.tsx', code).map((f) => f.text);

  it('finds JSX text, visible attributes, rendered literals and label tables', () => {
    expect(
      scan(`
        const NAV = [{ href: '/fleet', label: 'Fleet' }];
        toast.success('Rule saved');
        export const metadata = { title: 'Hosts' };
        export function Bell({ n }: { n: number }) {
          return (
            <div title="Alerts" aria-label={\`\${n} unread alerts\`}>
              No alerts yet
              <input placeholder="Search rules…" />
              {n > 0 ? 'Mark all read' : null}
              <Dialog confirmLabel="Delete rule" body={'This cannot be undone.'} />
            </div>
          );
        }
      `),
    ).toEqual([
      'Fleet',
      'Rule saved',
      'Hosts',
      'Alerts',
      'unread alerts',
      'No alerts yet',
      'Search rules…',
      'Mark all read',
      'Delete rule',
      'This cannot be undone.',
    ]);
  });

  it('lets through translations, code, user data and names that read the same in both', () => {
    expect(
      scan(`
        export function Card({ t, host }: { t: (k: string) => string; host: string }) {
          return (
            <section aria-label={t('host.label')} title={host}>
              {t('host.online')} GPU · CPU · 12 GiB
              <code>npm run collector</code>
              <span translate="no">yolov8n-coco-42 train/loss</span>
              <p>{host}</p>
            </section>
          );
        }
      `),
    ).toEqual([]);
  });

  it('honours a marked exemption', () => {
    expect(scan(`export const X = () => <p>{/* i18n-exempt: a brand mark */}Acme</p>;`)).toEqual([]);
  });
});
