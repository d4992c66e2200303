import { createHash } from 'node:crypto'
import type { Deps } from '@filo/core'

/**
 * Fixed-window counters in Redis, shared by every API process. When Redis does not
 * answer within half a second the request is let through: a public channel that
 * stops taking reports because Redis is slow would be worse than a burst.
 */
export function createRateLimiter(redis: Deps['redis'], prefix: string) {
  const hashed = (who: string) => createHash('sha256').update(who).digest('hex').slice(0, 24)
  return {
    /** Counts one request of `who` in the current window of `windowSeconds`; true when over `limit`. */
    async exceeded(bucket: string, who: string, limit: number, windowSeconds: number): Promise<boolean> {
      const window = Math.floor(Date.now() / (windowSeconds * 1000))
      const key = `${prefix}:${bucket}:${hashed(who)}:${window}`
      const count = redis
        .multi()
        .incr(key)
        .expire(key, windowSeconds * 2, 'NX')
        .exec()
        .then((r) => Number(r?.[0]?.[1] ?? 0))
      const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(0), 500).unref())
      const n = await Promise.race([count, timeout]).catch(() => 0)
      return n > limit
    },
  }
}
