// Message keys and locales typed from messages/en.json: a key that does not exist fails `tsc`.
import type { Locale } from './locales';
import type { Messages } from './messages';

declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
