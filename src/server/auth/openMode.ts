/**
 * Whether the app runs open (no key asked for). Only an app bound to a loopback address may,
 * and only until the first key exists: from then on it asks for keys until it is restarted,
 * even if every key is revoked, so revoking keys never reopens it.
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
      const anyKey = await this.keys.anyActive();
      this.version = version;
      this.checkedAt = Date.now();
      if (anyKey) this.open = false;
    }
    return this.open;
  }
}
