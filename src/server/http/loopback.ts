/**
 * What counts as loopback: the names `localhost` and `*.localhost` (browsers resolve them
 * to loopback themselves), 127.0.0.0/8, ::1, and IPv4-mapped 127.0.0.0/8 (::ffff:127.0.0.1).
 */
import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** A host name or address, without port; IPv6 may come in brackets. */
export function isLoopback(host: string): boolean {
  const name = host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const family = net.isIP(name);
  return family !== 0 && LOOPBACK.check(name, family === 6 ? 'ipv6' : 'ipv4');
}

/** The host name of a Host header or an origin's authority (`a.example:80` -> `a.example`), or null if malformed. */
export function hostnameOf(authority: string): string | null {
  try {
    const url = new URL(`http://${authority}`);
    if (url.username || url.password || url.pathname !== '/' || url.search) return null;
    return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return null;
  }
}
