/**
 * API keys and the browser sessions signed in with them. Keys are stored hashed; a key is
 * shown once, when it is created.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import { displayPrefix, generateKey, generateToken, hashSecret, type Scope } from '../auth/keys';
import { ServiceError } from './errors';
import { API_KEYS, type EventBus } from './eventBus';

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
  /** Keys revoked while this process runs (here or in another instance): refused at once, even mid-connection. */
  private revoked = new Set<number>();
  private revokedListeners = new Set<(keyIds: number[]) => void>();
  /** Hashes of credentials found valid: always worth a lookup, however many failures their address had. */
  private good = new Set<string>();
  /** Bumped when this process creates or revokes a key, so checks cached on it refresh. */
  version = 0;

  /** With a bus, revocations reach every instance (and their open sockets) within a second. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus?: EventBus,
  ) {
    bus?.subscribe(API_KEYS, (message) => {
      if (message.kind === 'keys-revoked') this.forget(message.keyIds);
      // A revocation may have been missed while the bus was reconnecting: read them back.
      if (message.kind === 'resync') void this.readRevocations().catch(() => {});
    });
  }

  /** Calls `listener` with the ids of keys revoked anywhere, as soon as this process hears of it. */
  onRevoked(listener: (keyIds: number[]) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  isRevoked(keyId: number): boolean {
    return this.revoked.has(keyId);
  }

  /**
   * Asks the database, not this process's memory: another instance's revocation reaches us
   * a moment later over the bus, and an admin call (minting keys) must not slip through it.
   */
  async isRevokedNow(keyId: number): Promise<boolean> {
    if (this.revoked.has(keyId)) return true;
    const row = await this.prisma.apiKey.findUnique({ where: { id: keyId }, select: { revokedAt: true } });
    if (row && !row.revokedAt) return false;
    this.forget([keyId]);
    return true;
  }

  private async readRevocations(): Promise<void> {
    const rows = await this.prisma.apiKey.findMany({ where: { revokedAt: { not: null } }, select: { id: true } });
    const missed = rows.map((r) => r.id).filter((id) => !this.revoked.has(id));
    if (missed.length) this.forget(missed);
  }

  private forget(keyIds: number[]): void {
    for (const id of keyIds) this.revoked.add(id);
    this.cache.clear();
    this.good.clear();
    this.version++;
    for (const listener of this.revokedListeners) listener(keyIds);
  }

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
    const revoked = await this.prisma.apiKey.updateManyAndReturn({
      where: { name, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { id: true },
    });
    if (revoked.length === 0) throw new ServiceError('NOT_FOUND', `No active key named '${name}'`);
    await this.prisma.webSession.deleteMany({ where: { apiKey: { name } } });
    const keyIds = revoked.map((r) => r.id);
    if (this.bus) this.bus.publish({ kind: 'keys-revoked', keyIds });
    else this.forget(keyIds);
  }

  /** True once any key was ever made, revoked or not (the app then never runs open again). */
  async anyEver(): Promise<boolean> {
    return (await this.prisma.apiKey.count()) > 0;
  }

  /** True when at least one key can be used. */
  async anyActive(): Promise<boolean> {
    return (await this.prisma.apiKey.count({ where: { revokedAt: null } })) > 0;
  }

  /** What the cache knows of a key (a principal, or null for a bad key); undefined when it must be looked up. */
  cachedKey(key: string): Principal | null | undefined {
    return this.cached(hashSecret(key));
  }

  cachedSession(token: string): Principal | null | undefined {
    return this.cached(`session:${hashSecret(token)}`);
  }

  /** The key or browser session token was valid when last looked up. */
  knownGood(credential: { key?: string; token?: string }): boolean {
    if (credential.key) return this.good.has(hashSecret(credential.key));
    return credential.token !== undefined && this.good.has(`session:${hashSecret(credential.token)}`);
  }

  private remember(hash: string, principal: Principal | null): void {
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    if (!principal) return;
    if (this.good.size > 10_000) this.good.clear();
    this.good.add(hash);
  }

  private cached(hash: string): Principal | null | undefined {
    const hit = this.cache.get(hash);
    return hit && hit.until > Date.now() ? hit.principal : undefined;
  }

  /** The principal a key stands for, or null. */
  async verify(key: string): Promise<Principal | null> {
    const hash = hashSecret(key);
    const hit = this.cached(hash);
    if (hit !== undefined) return hit;
    const row = await this.prisma.apiKey.findUnique({ where: { hash } });
    const principal = row && !row.revokedAt ? { keyId: row.id, name: row.name, scope: row.scope } : null;
    this.remember(hash, principal);
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
    const hit = this.cached(hash);
    if (hit !== undefined) return hit;
    const row = await this.prisma.webSession.findUnique({ where: { tokenHash: hashSecret(token) }, include: { apiKey: true } });
    const valid = row && row.expiresAt > new Date() && !row.apiKey.revokedAt;
    const principal = valid ? { keyId: row.apiKey.id, name: row.apiKey.name, scope: row.apiKey.scope } : null;
    this.remember(hash, principal);
    return principal;
  }

  async signOut(token: string): Promise<void> {
    await this.prisma.webSession.deleteMany({ where: { tokenHash: hashSecret(token) } });
    this.cache.delete(`session:${hashSecret(token)}`);
  }
}
