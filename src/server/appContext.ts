/**
 * Hands the running app's services to Next.js server components. Next bundles the pages
 * separately from server.ts, so a module-level singleton would exist twice; a global keyed
 * by a registered symbol is the one object both halves see.
 */
import type { Services } from './services';

const KEY = Symbol.for('cv-studio-monitor.services');
type Holder = { [KEY]?: Services };

export function registerServices(services: Services | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as Holder)[KEY];
  if (!services) throw new Error('The app services are not running (start the app with `npm start`).');
  return services;
}
