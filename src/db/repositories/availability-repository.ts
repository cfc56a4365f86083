import type pg from 'pg';
import type { DayRow, Product } from '../../domain/availability.js';

type Db = pg.Pool | pg.PoolClient;

/**
 * Published clinic-day rows per product for the given clinics and days. Free
 * places come from the exact summary, except on a clinic's current day
 * (`today`, in its time zone), where only slots that have not started count.
 */
export async function dayRows(db: Db, clinics: Array<{ id: number; today: string }>, fromDay: string, toDay: string | null,
  onlyFree: boolean): Promise<DayRow[]> {
  if (clinics.length === 0) return [];
  const r = await db.query<DayRow>({
    name: 'day_rows',
    text: `SELECT * FROM (
       SELECT da.clinic_id AS "clinicId", da.clinic_day_id AS "clinicDayId", da.day::text AS day, da.product_id AS "productId",
              da.capacity,
              CASE WHEN da.day <= k.today
                   THEN (SELECT coalesce(sum(s.capacity - s.booked - s.held), 0)::integer FROM slots s
                          WHERE s.clinic_day_id = da.clinic_day_id AND s.product_id = da.product_id AND s.starts_at > now())
                   ELSE da.capacity - da.taken END AS free
       FROM unnest($1::integer[], $2::date[]) AS k(clinic_id, today)
       -- One index range scan per clinic (OFFSET 0 keeps the planner from a whole-table hash join).
       CROSS JOIN LATERAL (
         SELECT * FROM day_availability d
          WHERE d.clinic_id = k.clinic_id AND d.day >= $3::date AND d.day <= coalesce($4::date, 'infinity') AND d.open
            AND (NOT $5 OR d.taken < d.capacity)
         OFFSET 0) da
     ) x WHERE NOT $5 OR free > 0`,
    values: [clinics.map((c) => c.id), clinics.map((c) => c.today), fromDay, toDay, onlyFree] });
  return r.rows;
}

/** Whether any of the clinics has a day between the two dates that was cancelled. */
export async function anyCancelledDay(db: Db, clinicIds: number[], fromDay: string, toDay: string | null): Promise<boolean> {
  const r = await db.query(
    `SELECT 1 FROM clinic_days WHERE clinic_id = ANY ($1::integer[]) AND day >= $2::date AND day <= coalesce($3::date, 'infinity')
       AND cancelled_at IS NOT NULL LIMIT 1`, [clinicIds, fromDay, toDay]);
  return (r.rowCount ?? 0) > 0;
}

export interface FreeDays { clinicId: number; productId: number; days: string[] }

/**
 * For each clinic and product, the sorted days with a future slot that has
 * `seats` free places — the shape dose pairing needs, far smaller than one row per day.
 */
export async function freeDays(db: Db, clinics: Array<{ id: number; today: string }>, fromDay: string, toDay: string | null,
  seats = 1): Promise<FreeDays[]> {
  if (clinics.length === 0) return [];
  const r = await db.query<FreeDays>({
    name: 'free_days',
    text: `SELECT d.clinic_id AS "clinicId", d.product_id AS "productId", array_agg(d.day::text ORDER BY d.day) AS days
     FROM unnest($1::integer[], $2::date[]) AS k(clinic_id, today)
     CROSS JOIN LATERAL (
       SELECT d.clinic_id, d.product_id, d.day FROM day_availability d
        WHERE d.clinic_id = k.clinic_id AND d.day >= $3::date AND d.day <= coalesce($4::date, 'infinity') AND d.open
          AND d.capacity - d.taken >= $5
          -- Today only slots still to come count; several people booked together need one slot with room for all.
          AND ((d.day > k.today AND $5 = 1)
               OR EXISTS (SELECT 1 FROM slots s WHERE s.clinic_day_id = d.clinic_day_id AND s.product_id = d.product_id
                                           AND s.starts_at > now() AND s.capacity - s.booked - s.held >= $5))
       OFFSET 0) d
     GROUP BY d.clinic_id, d.product_id`,
    values: [clinics.map((c) => c.id), clinics.map((c) => c.today), fromDay, toDay, seats] });
  return r.rows;
}

export interface FreeTime { clinic_day_id: number; product_id: number; slot_id: number; starts_at: Date; free: number }

/** The first `n` future slots with `seats` free places of each (clinic-day, product), leaving out the slots of `excludedSessions`. */
export async function firstFreeTimes(db: Db, keys: Array<{ clinicDayId: number; productId: number }>, n: number,
  excludedSessions: number[] = [], seats = 1): Promise<FreeTime[]> {
  if (keys.length === 0) return [];
  const r = await db.query<FreeTime>({
    name: 'first_free_times',
    text: `SELECT k.clinic_day_id, k.product_id, s.id AS slot_id, s.starts_at, s.free
     FROM unnest($1::integer[], $2::smallint[]) AS k(clinic_day_id, product_id)
     CROSS JOIN LATERAL (
       SELECT s.id, s.starts_at, s.capacity - s.booked - s.held AS free FROM slots s
        WHERE s.clinic_day_id = k.clinic_day_id AND s.product_id = k.product_id
          AND s.starts_at > now() AND s.capacity - s.booked - s.held >= $5 AND s.session_id <> ALL ($4::integer[])
        ORDER BY s.starts_at LIMIT $3) s
     ORDER BY k.clinic_day_id, s.starts_at`,
    values: [keys.map((k) => k.clinicDayId), keys.map((k) => k.productId), n, excludedSessions, seats] });
  return r.rows;
}

/**
 * Free, future places of some (clinic-day, product) counted slot by slot, where the summary's day total
 * cannot answer: leaving out `excludedSessions` (sessions serving only other cohorts), and counting only
 * slots with room for `seats` people booked together.
 */
export async function freePlaces(db: Db, keys: Array<{ clinicDayId: number; productId: number }>, excludedSessions: number[],
  seats = 1): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const r = await db.query<{ clinic_day_id: number; product_id: number; free: number }>({
    name: 'free_places',
    text: `SELECT k.clinic_day_id, k.product_id,
            (SELECT coalesce(sum(s.capacity - s.booked - s.held), 0)::integer FROM slots s
              WHERE s.clinic_day_id = k.clinic_day_id AND s.product_id = k.product_id AND s.starts_at > now()
                AND s.session_id <> ALL ($3::integer[]) AND s.capacity - s.booked - s.held >= $4) AS free
     FROM unnest($1::integer[], $2::smallint[]) AS k(clinic_day_id, product_id)`,
    values: [keys.map((k) => k.clinicDayId), keys.map((k) => k.productId), excludedSessions, seats] });
  return new Map(r.rows.map((x) => [`${x.clinic_day_id}:${x.product_id}`, x.free]));
}

export interface DaySlot { slot_id: number; starts_at: Date; ends_at: Date; free: number; product_id: number }

/** Every future slot with `seats` free places of a published clinic-day (the times to choose from), leaving out `excludedSessions`. */
export async function daySlots(db: Db, clinicId: number, day: string, productId: number | null, excludedSessions: number[] = [],
  seats = 1): Promise<DaySlot[]> {
  const r = await db.query<DaySlot>({
    name: 'day_slots',
    text: `SELECT s.id AS slot_id, s.starts_at, s.ends_at, s.capacity - s.booked - s.held AS free, s.product_id
     FROM clinic_days cd JOIN slots s ON s.clinic_day_id = cd.id
     WHERE cd.clinic_id = $1 AND cd.day = $2::date AND cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL
       AND s.starts_at > now() AND s.capacity - s.booked - s.held >= $5 AND ($3::smallint IS NULL OR s.product_id = $3)
       AND s.session_id <> ALL ($4::integer[])
     ORDER BY s.starts_at, s.id`,
    values: [clinicId, day, productId, excludedSessions, seats] });
  return r.rows;
}

export async function products(db: Db): Promise<Product[]> {
  const r = await db.query<Product>(
    `SELECT p.id, p.code, p.name, p.series_doses AS "seriesDoses", p.min_age_months AS "minAgeMonths", p.max_age_months AS "maxAgeMonths",
            CASE WHEN p.booster_min_days IS NULL THEN NULL
                 ELSE json_build_object('minDays', p.booster_min_days, 'minAgeMonths', p.booster_min_age_months) END AS booster,
            p.interchangeable_group AS "interchangeableGroup",
            COALESCE((SELECT json_agg(json_build_object('minDays', i.min_days, 'recommendedDays', i.recommended_days,
                        'maxDays', i.max_days) ORDER BY i.after_dose) FROM product_intervals i WHERE i.product_id = p.id), '[]') AS intervals
     FROM products p ORDER BY p.id`);
  return r.rows;
}

/** Centre of the clinics in a postal area (first three characters), for postal-code search. */
export async function postalAreaCentre(db: Db, area: string): Promise<{ latitude: number; longitude: number } | undefined> {
  const r = await db.query<{ latitude: number | null; longitude: number | null }>(
    `SELECT avg(latitude) AS latitude, avg(longitude) AS longitude FROM clinics WHERE upper(left(postal_code, 3)) = $1`, [area]);
  const row = r.rows[0];
  return row && row.latitude !== null && row.longitude !== null ? { latitude: row.latitude, longitude: row.longitude } : undefined;
}
