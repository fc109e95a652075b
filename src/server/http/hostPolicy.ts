/**
 * Which Host headers an open (keyless) app answers: loopback names and addresses on any
 * port, and the `ALLOWED_HOSTS` entries. A DNS-rebinding page reaches us under its own
 * name, so refusing foreign names in open mode is what keeps such a page out.
 */
import { hostnameOf, isLoopback } from './loopback';

export type HostPolicy = (hostHeader: string | undefined) => boolean;

/** `allowedHosts` entries are names (any port) or `name:port` (that port only). */
export function createHostPolicy(allowedHosts: readonly string[]): HostPolicy {
  const names = new Set<string>();
  const exact = new Set<string>();
  for (const entry of allowedHosts.map((h) => h.trim().toLowerCase()).filter(Boolean)) {
    if (/:\d+$/.test(entry)) exact.add(entry);
    else names.add(entry.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, ''));
  }
  return (hostHeader) => {
    // Only browsers matter here, and they always send Host; a client without one is judged by the rest.
    if (hostHeader === undefined) return true;
    const host = hostHeader.toLowerCase();
    const name = hostnameOf(host);
    if (name === null) return false;
    return isLoopback(name) || names.has(name) || exact.has(host);
  };
}
