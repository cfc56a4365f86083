import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface ClinicDayRow { day: string; published: boolean; cancelled: boolean; capacity: number; booked: number }

/** The days of a clinic in a range: the publish gate's view (what is public, what is staffed and stocked). */
export async function clinicDays(db: Db, clinicId: number, from: string, to: string): Promise<ClinicDayRow[]> {
  return (await db.query<ClinicDayRow>(
    `SELECT cd.day::text, cd.published_at IS NOT NULL AS published, cd.cancelled_at IS NOT NULL AS cancelled,
            coalesce(sum(s.capacity), 0)::int AS capacity, coalesce(sum(s.booked), 0)::int AS booked
     FROM clinic_days cd LEFT JOIN slots s ON s.clinic_day_id = cd.id
     WHERE cd.clinic_id = $1 AND cd.day BETWEEN $2::date AND $3::date GROUP BY cd.id ORDER BY cd.day`, [clinicId, from, to])).rows;
}

/**
 * Publishes (staffed and stocked) or unpublishes days. Triggers keep the
 * search summary in step in the same statement; booking refuses unpublished
 * days, and appointments already made stay. Cancelled days stay as they are.
 */
export async function setPublished(db: Db, clinicId: number, from: string, to: string, published: boolean): Promise<string[]> {
  const r = await db.query<{ day: string }>(
    `UPDATE clinic_days SET published_at = CASE WHEN $4 THEN coalesce(published_at, now()) END
     WHERE clinic_id = $1 AND day BETWEEN $2::date AND $3::date AND cancelled_at IS NULL AND (published_at IS NOT NULL) <> $4
     RETURNING day::text`, [clinicId, from, to, published]);
  return r.rows.map((x) => x.day).sort();
}
