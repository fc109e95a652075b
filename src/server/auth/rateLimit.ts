import type { Auth } from './authenticate';

/**
 * A token bucket per client (a key's name, or a client address for failed sign-ins):
 * `rate` requests a second on average, bursts of up to `burst`. A refused request learns
 * when to come back.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** 0 when allowed (and counted); otherwise the seconds to wait (for Retry-After). */
  take(client: string, now = Date.now()): number {
    if (this.rate <= 0) return 0;
    const bucket = this.refill(client, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.rate);
  }

  /** What `take` would answer, without counting a request. */
  wait(client: string, now = Date.now()): number {
    if (this.rate <= 0) return 0;
    const bucket = this.refill(client, now);
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.rate);
  }

  private refill(client: string, now: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (this.buckets.size > 100_000) this.buckets.clear(); // bounded, whatever the clients do
    this.buckets.set(client, bucket);
    return bucket;
  }
}

/**
 * Requests are counted per key and client address: one client cannot saturate the server,
 * while a fleet of collectors sharing one key (each its own host) is not throttled as one.
 */
export const takeRequest = (limiter: RateLimiter, auth: Auth): number =>
  auth.principal ? limiter.take(`${auth.principal.name} ${auth.client}`) : 0;
