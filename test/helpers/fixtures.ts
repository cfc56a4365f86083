import type pg from 'pg';
import { insertSlotsForSessions } from '../../src/db/repositories/seed-repository.js';

/** Small, explicit fixtures for integration tests (the demo province is too big to reason about). */

export async function baseReferenceData(pool: pg.Pool): Promise<{ regionId: number; clinicId: number; productId: number }> {
  const region = await pool.query<{ id: number }>(
    `INSERT INTO regions (code, name, latitude, longitude) VALUES ('TST', 'Test Unit', 43.7, -79.4) RETURNING id`);
  const regionId = region.rows[0]!.id;
  const clinic = await pool.query<{ id: number }>(
    `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, time_zone)
     VALUES ($1, 'TST-1', 'Test Clinic', 'mass_site', '1 Main Street', 'Toronto', 'M5V 1A1', 43.7, -79.4, 'America/Toronto')
     RETURNING id`, [regionId]);
  const product = await pool.query<{ id: number }>(
    `INSERT INTO products (code, name, manufacturer, cvx, min_age_months, doses_per_vial, series_doses)
     VALUES ('test-mrna', 'Test mRNA', 'Test', '208', 144, 6, 2) RETURNING id`);
  await pool.query(`INSERT INTO product_intervals VALUES ($1, 1, 21, 56, NULL)`, [product.rows[0]!.id]);
  return { regionId, clinicId: clinic.rows[0]!.id, productId: product.rows[0]!.id };
}

/** A session `daysAhead` days from now with `slotCount` slots of `capacity` each; returns the slot ids. */
export async function session(pool: pg.Pool, ref: { regionId: number; clinicId: number; productId: number },
  opts: { daysAhead: number; capacity: number; slotCount: number; minutes?: number; published?: boolean; startsAt?: string }): Promise<number[]> {
  const minutes = opts.minutes ?? 10;
  const day = await pool.query<{ id: number; day: string }>(
    `INSERT INTO clinic_days (region_id, clinic_id, day, published_at)
     VALUES ($1, $2, (now() AT TIME ZONE 'America/Toronto')::date + $3::int, CASE WHEN $4 THEN now() END)
     ON CONFLICT (clinic_id, day) DO UPDATE SET published_at = EXCLUDED.published_at
     RETURNING id, day::text`, [ref.regionId, ref.clinicId, opts.daysAhead, opts.published ?? true]);
  const s = await pool.query<{ id: number }>(
    `INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
     VALUES ($1, $2, $3, $4, ($5::date + $9::time) AT TIME ZONE 'America/Toronto',
             ($5::date + $9::time) AT TIME ZONE 'America/Toronto' + make_interval(mins => $6::int * $7::int), $8, $6)
     RETURNING id`, [ref.regionId, ref.clinicId, day.rows[0]!.id, ref.productId, day.rows[0]!.day, minutes, opts.slotCount, opts.capacity,
                     opts.startsAt ?? '09:00']);
  await insertSlotsForSessions(pool, s.rows[0]!.id, s.rows[0]!.id);
  const slots = await pool.query<{ id: number }>('SELECT id FROM slots WHERE session_id = $1 ORDER BY starts_at', [s.rows[0]!.id]);
  return slots.rows.map((r) => r.id);
}

export async function persons(pool: pg.Pool, n: number, prefix = 'P'): Promise<number[]> {
  const r = await pool.query<{ id: number }>(
    `INSERT INTO persons (identifier_scheme, identifier, date_of_birth, given_name, family_name, email)
     SELECT 'test', $2 || g, DATE '1980-01-01' + g, 'Given', 'Family', 'p' || g || '@example.org'
     FROM generate_series(1, $1) g RETURNING id`, [n, prefix]);
  return r.rows.map((x) => x.id);
}

/** A time zone where it is now between 09:00 and 15:00, so a clinic there still has today ahead of it whenever tests run. */
export function middayZone(): string {
  const zones = ['Pacific/Kiritimati', 'Pacific/Auckland', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Paris', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/Toronto', 'America/Denver', 'America/Anchorage', 'Pacific/Honolulu'];
  const hour = (z: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: z, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
  return zones.find((z) => hour(z) >= 9 && hour(z) < 15) ?? zones.reduce((a, b) => (Math.abs(hour(a) - 12) < Math.abs(hour(b) - 12) ? a : b));
}
