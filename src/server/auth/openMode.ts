/**
 * Whether the app runs open (no key asked for). Only an app bound to a loopback address may,
 * and only while no key was ever made: a revoked key still counts, so revoking keys never
 * reopens it (to use it again, make a new key with the CLI).
 */
import type { ApiKeyService } from '../services/apiKeyService';
import { isLoopback } from '../http/loopback';

export class OpenModeCheck {
  private open: boolean;
  private checkedAt = 0;
  private version = -1;

  constructor(
    private readonly keys: ApiKeyService,
    boundHost: string,
  ) {
    this.open = isLoopback(boundHost);
  }

  /** Re-checks for keys every few seconds (the CLI makes them in another process), and at once after this process made one. */
  async isOpen(): Promise<boolean> {
    if (!this.open) return false;
    if (this.version !== this.keys.version || Date.now() - this.checkedAt > 5000) {
      const version = this.keys.version;
      let anyKey: boolean;
      try {
        anyKey = await this.keys.anyEver();
      } catch (error) {
        // Database down: the last answer stands (tried again in a few seconds); nothing is known before the first.
        if (this.checkedAt === 0) throw error;
        this.checkedAt = Date.now();
        return this.open;
      }
      this.version = version;
      this.checkedAt = Date.now();
      if (anyKey) this.open = false;
    }
    return this.open;
  }
}
