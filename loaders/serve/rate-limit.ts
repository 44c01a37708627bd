/**
 * Per-client rate limits: a token bucket per client holding up to `rate` requests, refilled at
 * `rate` a second. Pure apart from the clock passed in.
 *
 * @example const limit = rateLimiter(); limit("platform", 50, performance.now()) // {ok: true}
 */
export function rateLimiter(): (client: string, rate: number, nowMs: number) => {ok: true} | {ok: false; retryAfterSeconds: number} {
  const buckets = new Map<string, {tokens: number; at: number}>();
  return (client, rate, nowMs) => {
    const b = buckets.get(client) ?? {tokens: rate, at: nowMs};
    b.tokens = Math.min(rate, b.tokens + ((nowMs - b.at) / 1000) * rate);
    b.at = nowMs;
    buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return {ok: true};
    }
    return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate))};
  };
}
