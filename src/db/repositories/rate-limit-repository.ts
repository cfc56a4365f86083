import type pg from 'pg';

/** Forgets counts whose window has ended (the sweeper, hourly). */
export async function purgeExpiredRateLimits(pool: pg.Pool): Promise<number> {
  const r = await pool.query('DELETE FROM rate_limits WHERE expire < $1', [Date.now()]);
  return r.rowCount ?? 0;
}

/** Whether `key` has used up `limit` points in its current window (the booking call's own check, migration 018). */
export async function limitReached(db: pg.Pool | pg.PoolClient, key: string, limit: number): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM rate_limits WHERE key = $1 AND points >= $2 AND expire > $3', [key, limit, Date.now()]);
  return (r.rowCount ?? 0) > 0;
}
