/**
 * Hands the running app's services to Next.js server components. Next bundles the pages
 * separately from server.ts, so a module-level singleton would exist twice; a global keyed
 * by a registered symbol is the one object both halves see.
 */
import type { OpenModeCheck } from './auth/openMode';
import type { Services } from './services';

const KEY = Symbol.for('cv-studio-monitor.services');
const OPEN_MODE = Symbol.for('cv-studio-monitor.open-mode');
type Holder = { [KEY]?: Services; [OPEN_MODE]?: OpenModeCheck };

export function registerServices(services: Services | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function getServices(): Services {
  const services = (globalThis as Holder)[KEY];
  if (!services) throw new Error('The app services are not running (start the app with `npm start`).');
  return services;
}

/** Whether the app runs open is decided once, by the server (see auth/openMode.ts); pages ask it. */
export function registerOpenMode(openMode: OpenModeCheck | undefined): void {
  (globalThis as Holder)[OPEN_MODE] = openMode;
}

export function getOpenMode(): OpenModeCheck | undefined {
  return (globalThis as Holder)[OPEN_MODE];
}
