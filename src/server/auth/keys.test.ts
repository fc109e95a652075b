import { describe, expect, it } from 'vitest';
import { displayPrefix, generateKey, hashSecret, scopeAllows } from './keys';

describe('API keys', () => {
  it('are long, random and recognisable by their prefix', () => {
    const [a, b] = [generateKey(), generateKey()];
    expect(a).toMatch(/^cvsm_[\w-]{32}$/);
    expect(a).not.toBe(b);
    expect(displayPrefix(a)).toBe(a.slice(0, 11));
    expect(hashSecret(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('have nested scopes: admin includes write, write includes read', () => {
    expect(scopeAllows('admin', 'write')).toBe(true);
    expect(scopeAllows('write', 'read')).toBe(true);
    expect(scopeAllows('read', 'write')).toBe(false);
    expect(scopeAllows('write', 'admin')).toBe(false);
  });
});
