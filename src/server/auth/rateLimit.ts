/**
 * A token bucket per client (key name, or address when the app runs open): `rate` requests
 * a second on average, bursts of up to `burst`. A refused request learns when to come back.
 */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** 0 when allowed; otherwise the seconds to wait (for Retry-After). */
  take(client: string, now = Date.now()): number {
    if (this.rate <= 0) return 0;
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear(); // bounded, whatever the clients do
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.rate);
  }
}
