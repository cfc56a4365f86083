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

/** Marks days cancelled (no new bookings from this statement on); returns the days and their ids. */
export async function markCancelled(db: Db, clinicId: number, from: string, to: string, reason: string): Promise<Array<{ id: number; day: string }>> {
  return (await db.query<{ id: number; day: string }>(
    `UPDATE clinic_days SET cancelled_at = coalesce(cancelled_at, now()), cancel_reason = $4
     WHERE clinic_id = $1 AND day BETWEEN $2::date AND $3::date RETURNING id, day::text`, [clinicId, from, to, reason])).rows;
}

export interface AffectedRow {
  booking_id: number; confirmation_code: string; dose_number: number; seats: number; product_code: string; day: string; starts_at: Date;
  people: Array<{ person_id: number; given_name: string; date_of_birth: string }>;
  /** The same person's other doses: the one before (given or booked) and the one after (booked). */
  previous_day: string | null; previous_product: string | null; next_day: string | null; next_product: string | null;
}

/** The active appointments on some clinic-days, one row per booking and dose (a family's appointments move together). */
export async function affectedAppointments(db: Db, clinicDayIds: number[]): Promise<AffectedRow[]> {
  return (await db.query<AffectedRow>(
    `SELECT a.booking_id, b.confirmation_code, a.dose_number, count(*)::int AS seats, p.code AS product_code,
            (min(a.starts_at) AT TIME ZONE min(c.time_zone))::date::text AS day, min(a.starts_at) AS starts_at,
            jsonb_agg(jsonb_build_object('person_id', pe.id, 'given_name', pe.given_name, 'date_of_birth', pe.date_of_birth) ORDER BY pe.id) AS people,
            (SELECT coalesce((d.administered_at AT TIME ZONE min(c.time_zone))::date, (x.starts_at AT TIME ZONE min(c.time_zone))::date)::text
               FROM appointments a0 LEFT JOIN dose_records d ON d.person_id = a0.person_id AND d.dose_number = a0.dose_number - 1
               LEFT JOIN appointments x ON x.person_id = a0.person_id AND x.dose_number = a0.dose_number - 1 AND x.status IN ('booked', 'checked_in', 'completed')
               WHERE a0.id = min(a.id) LIMIT 1) AS previous_day,
            (SELECT coalesce(pd.code, px.code) FROM appointments a0 LEFT JOIN dose_records d ON d.person_id = a0.person_id AND d.dose_number = a0.dose_number - 1
               LEFT JOIN products pd ON pd.id = d.product_id
               LEFT JOIN appointments x ON x.person_id = a0.person_id AND x.dose_number = a0.dose_number - 1 AND x.status IN ('booked', 'checked_in', 'completed')
               LEFT JOIN products px ON px.id = x.product_id WHERE a0.id = min(a.id) LIMIT 1) AS previous_product,
            (SELECT (n.starts_at AT TIME ZONE min(c.time_zone))::date::text FROM appointments n WHERE n.booking_id = a.booking_id
               AND n.dose_number = a.dose_number + 1 AND n.status IN ('booked', 'checked_in') LIMIT 1) AS next_day,
            (SELECT np.code FROM appointments n JOIN products np ON np.id = n.product_id WHERE n.booking_id = a.booking_id
               AND n.dose_number = a.dose_number + 1 AND n.status IN ('booked', 'checked_in') LIMIT 1) AS next_product
     FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN bookings b ON b.id = a.booking_id JOIN products p ON p.id = a.product_id
     JOIN persons pe ON pe.id = a.person_id JOIN clinics c ON c.id = a.clinic_id
     WHERE s.clinic_day_id = ANY ($1::int[]) AND a.status IN ('booked', 'checked_in')
     GROUP BY a.booking_id, b.confirmation_code, a.dose_number, p.code ORDER BY min(a.starts_at)`, [clinicDayIds])).rows;
}

/** Cancels every appointment still active on the days, and returns their places. Call inside a transaction. */
export async function cancelAppointmentsOn(db: pg.PoolClient, clinicDayIds: number[]): Promise<number> {
  // The days' slots first, in the order bookings lock them: one UPDATE would lock them in whatever order its join
  // produced and could deadlock with a booking cancelled on two of these days at the same moment.
  await db.query(`SELECT 1 FROM slots WHERE clinic_day_id = ANY ($1::int[]) ORDER BY clinic_day_id, product_id, id FOR UPDATE`, [clinicDayIds]);
  const r = await db.query<{ n: number }>(
    `WITH gone AS (
       UPDATE appointments a SET status = 'cancelled', cancelled_at = now() FROM slots s
       WHERE s.id = a.slot_id AND s.clinic_day_id = ANY ($1::int[]) AND a.status IN ('booked', 'checked_in') RETURNING a.slot_id),
     seats AS (UPDATE slots s SET booked = s.booked - g.n FROM (SELECT slot_id, count(*)::int AS n FROM gone GROUP BY slot_id) g WHERE s.id = g.slot_id)
     SELECT count(*)::int AS n FROM gone`, [clinicDayIds]);
  return r.rows[0]!.n;
}

/**
 * Tells the outbox triggers, for the rest of this transaction, what kind of
 * change this is, why, and the time offered instead to each booking and dose ("booking:dose").
 */
export async function explainChange(db: pg.PoolClient, change: 'reschedule' | 'clinic_day_cancelled' | 'cancellation', reason: string,
  offers: Record<string, { startsAt: string; clinicId: number }> = {}): Promise<void> {
  await db.query(`SELECT set_config('vaxbook.change', $1, true), set_config('vaxbook.reason', $2, true), set_config('vaxbook.offers', $3, true)`,
    [change, reason, JSON.stringify(offers)]);
}
