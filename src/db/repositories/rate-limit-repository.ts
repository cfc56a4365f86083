import type pg from 'pg';

/** Forgets counts whose window has ended (the sweeper, hourly). */
export async function purgeExpiredRateLimits(pool: pg.Pool): Promise<number> {
  const r = await pool.query('DELETE FROM rate_limits WHERE expire < $1', [Date.now()]);
  return r.rowCount ?? 0;
}
