/**
 * API keys and the browser sessions signed in with them. Keys are stored hashed; a key is
 * shown once, when it is created.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { displayPrefix, generateKey, generateToken, hashSecret, type Scope } from '../auth/keys';
import { ServiceError } from './errors';

export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  scope: Scope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface Principal {
  keyId: number;
  name: string;
  scope: Scope;
}

/** How long a verified key is trusted before it is looked up again (revocation delay). */
const CACHE_MS = 5_000;
const WEB_SESSION_DAYS = 30;

export class ApiKeyService {
  private cache = new Map<string, { principal: Principal | null; until: number }>();
  /** Bumped when this process creates or revokes a key, so checks cached on it refresh. */
  version = 0;

  constructor(private readonly prisma: PrismaClient) {}

  async create(name: string, scope: Scope): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = generateKey();
    try {
      const row = await this.prisma.apiKey.create({ data: { name, scope, prefix: displayPrefix(key), hash: hashSecret(key) } });
      this.version++;
      return { key, info: row };
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002')
        throw new ServiceError('CONFLICT', `A key named '${name}' exists already`);
      throw error;
    }
  }

  list(): Promise<ApiKeyInfo[]> {
    return this.prisma.apiKey.findMany({
      orderBy: { createdAt: 'asc' },
      select: { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    });
  }

  /** Revokes a key by name; its browser sessions end with it. */
  async revoke(name: string): Promise<void> {
    const { count } = await this.prisma.apiKey.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new ServiceError('NOT_FOUND', `No active key named '${name}'`);
    await this.prisma.webSession.deleteMany({ where: { apiKey: { name } } });
    this.cache.clear();
    this.version++;
  }

  /** True when at least one key can be used: then every request must present one. */
  async anyActive(): Promise<boolean> {
    return (await this.prisma.apiKey.count({ where: { revokedAt: null } })) > 0;
  }

  /** The principal a key stands for, or null. */
  async verify(key: string): Promise<Principal | null> {
    const hash = hashSecret(key);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.principal;
    const row = await this.prisma.apiKey.findUnique({ where: { hash } });
    const principal = row && !row.revokedAt ? { keyId: row.id, name: row.name, scope: row.scope } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    if (principal)
      void this.prisma.apiKey.update({ where: { id: principal.keyId }, data: { lastUsedAt: new Date() } }).catch(() => {});
    return principal;
  }

  /** Exchanges a key for a browser session token (the cookie's value). */
  async signIn(key: string): Promise<{ token: string; principal: Principal; expiresAt: Date } | null> {
    const principal = await this.verify(key);
    if (!principal) return null;
    const token = generateToken();
    const expiresAt = new Date(Date.now() + WEB_SESSION_DAYS * 86_400_000);
    await this.prisma.webSession.create({ data: { tokenHash: hashSecret(token), apiKeyId: principal.keyId, expiresAt } });
    return { token, principal, expiresAt };
  }

  async verifySession(token: string): Promise<Principal | null> {
    const hash = `session:${hashSecret(token)}`;
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.principal;
    const row = await this.prisma.webSession.findUnique({ where: { tokenHash: hashSecret(token) }, include: { apiKey: true } });
    const valid = row && row.expiresAt > new Date() && !row.apiKey.revokedAt;
    const principal = valid ? { keyId: row.apiKey.id, name: row.apiKey.name, scope: row.apiKey.scope } : null;
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }

  async signOut(token: string): Promise<void> {
    await this.prisma.webSession.deleteMany({ where: { tokenHash: hashSecret(token) } });
    this.cache.delete(`session:${hashSecret(token)}`);
  }
}
