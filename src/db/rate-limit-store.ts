import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';

/**
 * A limiter whose counts are shared by every process of the service (the rate_limits table, migration 016).
 * If the database cannot be reached, each process goes on counting in its own memory rather than letting
 * every attempt through.
 */
export function sharedLimiter(pool: pg.Pool, o: { keyPrefix: string; points: number; duration: number }): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false,
    keyPrefix: o.keyPrefix, points: o.points, duration: o.duration,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.duration }),
  });
}

/**
 * Gives back one point taken from `key` (under `keyPrefix`) in the window that ends about `windowEnd` (ms since the
 * epoch, as the limiter answered when the point was taken). Never below zero, never to a window that has ended or
 * been cleared, and never to the next one: a point given back there would be a free attempt (the limiter's own reward
 * would create the row at -1).
 */
export async function giveBackPoint(pool: pg.Pool, keyPrefix: string, key: string, windowEnd: number): Promise<void> {
  await pool.query('UPDATE rate_limits SET points = points - 1 WHERE key = $1 AND points > 0 AND expire > $2 AND expire < $3',
    [`${keyPrefix}:${key}`, Date.now(), windowEnd + 1_000]);
}
