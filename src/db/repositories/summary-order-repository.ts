import type pg from 'pg';
import { wholeDataSetQuery } from '../database.js';

/**
 * The physical order of the availability summary. A search reads one clinic's days at a time; when
 * they lie together on a few pages instead of one page each (the order sessions were published in,
 * day by day across the province), the national search reads about a tenth of the pages.
 */

/** How closely the summary's physical order follows clinic_id, from the last ANALYZE (-1…1; null: never analysed). */
export async function summaryClinicCorrelation(db: pg.Pool | pg.PoolClient): Promise<number | null> {
  const r = await db.query<{ correlation: number | null }>(
    `SELECT correlation FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'day_availability' AND attname = 'clinic_id'`);
  return r.rows[0]?.correlation ?? null;
}

/**
 * Rewrites the summary in (clinic, day) order and refreshes its statistics. CLUSTER locks the table
 * for the rewrite (about a second for the national data set), so bookings wait meanwhile; with
 * `lockTimeoutMs` it gives up rather than queue behind a long transaction. Returns false when it gave up.
 */
export async function reorderSummary(pool: pg.Pool, lockTimeoutMs?: number): Promise<boolean> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // A session setting: the connection goes back to the pool without it, or not at all.
    if (lockTimeoutMs !== undefined) await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(lockTimeoutMs))}ms`]);
    try {
      await client.query(wholeDataSetQuery('CLUSTER day_availability USING day_availability_clinic_day'));
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false; // lock_not_available
      throw err;
    }
    await client.query(wholeDataSetQuery('ANALYZE day_availability'));
    return true;
  } finally {
    if (lockTimeoutMs !== undefined) await client.query('RESET lock_timeout').catch((err: Error) => { broken = err; });
    client.release(broken);
  }
}
