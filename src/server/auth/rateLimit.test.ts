import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimit';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the seconds to wait, then refills', () => {
    const limiter = new RateLimiter(2, 3);
    const t = 1_000_000;
    expect([limiter.take('k', t), limiter.take('k', t), limiter.take('k', t)]).toEqual([0, 0, 0]);
    expect(limiter.take('k', t)).toBe(1);
    expect(limiter.take('other', t)).toBe(0); // each client has its own bucket
    expect(limiter.take('k', t + 500)).toBe(0); // half a second refills one token at 2/s
  });

  it('is off at rate 0', () => {
    const limiter = new RateLimiter(0, 0);
    expect(limiter.take('k')).toBe(0);
  });
});
