/** API key format and hashing. Keys are random and long, so a plain SHA-256 is a safe hash. */
import { createHash, randomBytes } from 'node:crypto';

export const SCOPES = ['read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Scopes nest: admin includes write, write includes read. */
export const scopeAllows = (granted: Scope, needed: Scope) => SCOPES.indexOf(granted) >= SCOPES.indexOf(needed);

const KEY_PREFIX = 'cvsm_';

export function generateKey(): string {
  return `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/** Browser session tokens are random too; only their hash is stored. */
export const generateToken = () => randomBytes(32).toString('base64url');

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** What lists show of a key: enough to recognise it, not to use it. */
export const displayPrefix = (key: string) => key.slice(0, KEY_PREFIX.length + 6);
