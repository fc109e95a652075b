/**
 * The checks every door shares, before any route (pages, REST, tRPC over HTTP, socket
 * upgrades): a request target the routes understand, a Host the app answers while it runs
 * open, and the request's origin judged by the one origin policy.
 */
import type http from 'node:http';
import type { OpenModeCheck } from '../auth/openMode';
import { databaseUnavailable } from '../services/errors';
import type { HostPolicy } from './hostPolicy';
import type { OriginPolicy } from './originPolicy';
import { normaliseTarget } from './requestTarget';

export type Admission =
  | { kind: 'admitted'; open: boolean; originAllowed: boolean; crossOrigin: boolean }
  /** `OPTIONS *`: a question about the server, answered with what it allows. */
  | { kind: 'server-options' }
  | { kind: 'refused'; status: number; message: string };

/** Methods that change nothing; every other one is a write. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Doors {
  admit(req: http.IncomingMessage): Promise<Admission>;
}

export function createDoors(deps: { openMode: OpenModeCheck; hosts: HostPolicy; origins: OriginPolicy }): Doors {
  return {
    async admit(req) {
      const target = normaliseTarget(req);
      if (target === 'bad') return { kind: 'refused', status: 400, message: 'Bad request target' };
      let open: boolean;
      try {
        open = await deps.openMode.isOpen();
      } catch (error) {
        return { kind: 'refused', status: 503, message: databaseUnavailable(error).message };
      }
      if (open && !deps.hosts(req.headers.host)) {
        return {
          kind: 'refused',
          status: 421,
          message: `This server answers loopback host names only while it runs without keys (Host '${req.headers.host?.slice(0, 100)}'); list others in ALLOWED_HOSTS`,
        };
      }
      if (target === 'server-options') return { kind: 'server-options' };
      return {
        kind: 'admitted',
        open,
        originAllowed: deps.origins.allows(req, open),
        crossOrigin: deps.origins.crossOrigin(req),
      };
    },
  };
}
