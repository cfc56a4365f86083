import type pg from 'pg';
import { insertSlotsForSessions } from './seed-repository.js';

type Db = pg.Pool | pg.PoolClient;

/**
 * Sessions and their slots, entered by clinic managers. A new clinic-day is
 * unpublished: nobody sees it until a manager marks it staffed and stocked.
 */

export interface NewSession { clinicId: number; day: string; start: string; end: string; productId: number; stations: number; minutes: number }

/** One session (local times in the clinic's zone) and its slots; the clinic-day is created when missing. */
export async function insertSession(db: Db, s: NewSession): Promise<{ session_id: number; slots: number }> {
  const r = await db.query<{ id: number }>(
    `WITH c AS (SELECT id, region_id, time_zone FROM clinics WHERE id = $1),
     d AS (INSERT INTO clinic_days (region_id, clinic_id, day) SELECT region_id, id, $2::date FROM c
           ON CONFLICT (clinic_id, day) DO UPDATE SET day = EXCLUDED.day RETURNING id)
     INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
     SELECT c.region_id, c.id, d.id, $5, ($2::date + $3::time) AT TIME ZONE c.time_zone, ($2::date + $4::time) AT TIME ZONE c.time_zone, $6, $7
     FROM c, d RETURNING id`, [s.clinicId, s.day, s.start, s.end, s.productId, s.stations, s.minutes]);
  const id = r.rows[0]!.id;
  return { session_id: id, slots: await insertSlotsForSessions(db, id, id) };
}

export interface SessionRow { id: number; day: string; start: string; end: string; product_code: string; stations: number; minutes: number; capacity: number; booked: number; published: boolean; cancelled: boolean }

export async function sessionsOf(db: Db, clinicId: number, from: string, to: string): Promise<SessionRow[]> {
  return (await db.query<SessionRow>(
    `SELECT s.id, cd.day::text, to_char(s.starts_at AT TIME ZONE c.time_zone, 'HH24:MI') AS start, to_char(s.ends_at AT TIME ZONE c.time_zone, 'HH24:MI') AS "end",
            p.code AS product_code, s.stations, s.minutes_per_appointment AS minutes,
            coalesce(sum(sl.capacity), 0)::int AS capacity, coalesce(sum(sl.booked), 0)::int AS booked,
            cd.published_at IS NOT NULL AS published, cd.cancelled_at IS NOT NULL AS cancelled
     FROM sessions s JOIN clinic_days cd ON cd.id = s.clinic_day_id JOIN clinics c ON c.id = s.clinic_id JOIN products p ON p.id = s.product_id
     LEFT JOIN slots sl ON sl.session_id = s.id
     WHERE s.clinic_id = $1 AND cd.day BETWEEN $2::date AND $3::date GROUP BY s.id, cd.id, c.time_zone, p.code ORDER BY cd.day, s.starts_at`,
    [clinicId, from, to])).rows;
}

export interface SupplyRow { product_code: string; product_name: string; doses: number | null; booked: number }

/** Expected doses per product, against the appointments still to come. */
export async function supplyOf(db: Db, clinicId: number): Promise<SupplyRow[]> {
  return (await db.query<SupplyRow>(
    `SELECT p.code AS product_code, p.name AS product_name, cs.doses,
            (SELECT count(*)::int FROM appointments a WHERE a.clinic_id = $1 AND a.product_id = p.id AND a.status IN ('booked', 'checked_in')) AS booked
     FROM products p LEFT JOIN clinic_supply cs ON cs.clinic_id = $1 AND cs.product_id = p.id
     WHERE cs.doses IS NOT NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.clinic_id = $1 AND s.product_id = p.id)
     ORDER BY p.id`, [clinicId])).rows;
}

export async function setSupply(db: Db, clinicId: number, productId: number, doses: number, staffId: number | null): Promise<void> {
  await db.query(
    `INSERT INTO clinic_supply (clinic_id, product_id, doses, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (clinic_id, product_id) DO UPDATE SET doses = EXCLUDED.doses, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [clinicId, productId, doses, staffId]);
}

/** Serialises planning changes of one clinic for the rest of the transaction. */
export async function lockClinicPlanning(db: pg.PoolClient, clinicId: number): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('vaxbook-copy-week'), $1)`, [clinicId]);
}
