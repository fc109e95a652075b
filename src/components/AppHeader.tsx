'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { AlertBell } from './alerts/AlertBell';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LanguageSwitch } from './LanguageSwitch';
import { ThemeToggle } from './ThemeToggle';

const NAV = [
  { href: '/', key: 'overview' },
  { href: '/sessions', key: 'runs' },
  { href: '/compare', key: 'compare' },
  { href: '/api-docs', key: 'api' },
  { href: '/settings', key: 'settings' },
] as const;

export function AppHeader() {
  const t = useTranslations('nav');
  const app = useTranslations('app');
  const path = usePathname();
  const active = (href: string) => (href === '/' ? path === '/' : path.startsWith(href));
  return (
    <header className="sticky top-0 z-30 border-b border-line bg-panel/85 backdrop-blur">
      <div className="mx-auto flex h-12 max-w-[1600px] items-center gap-6 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="grid h-6 w-6 place-items-center rounded-md bg-accent text-xs font-bold text-white">
            CV
          </span>
          <span translate="no">{app('brand')}</span>
        </Link>
        <nav aria-label={t('label')} className="flex items-center gap-1 text-sm">
          {NAV.map((n) => (
            <Link
              key={n.href}
              href={n.href}
              aria-current={active(n.href) ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 transition-colors ${
                active(n.href) ? 'bg-raised text-fg' : 'text-muted hover:bg-raised hover:text-fg'
              }`}
            >
              {t(n.key)}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <ConnectionIndicator />
          <AlertBell />
          <LanguageSwitch />
          <ThemeToggle />
        </div>
      </div>
    </header>
  );
}
