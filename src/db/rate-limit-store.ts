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
