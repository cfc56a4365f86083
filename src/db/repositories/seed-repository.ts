import type pg from 'pg';
import type { ProvinceSeed } from '../../seed/province.js';

/**
 * Bulk writes for demo and benchmark data. Each table is loaded with one
 * statement from a JSON array (jsonb_to_recordset), and the calendar is
 * expanded inside PostgreSQL with generate_series, so millions of slots never
 * travel over the wire row by row.
 */

export async function dataSetLoaded(db: pg.Pool | pg.PoolClient, name: string): Promise<{ first_day: string; days: number; seed: number } | undefined> {
  const r = await db.query<{ first_day: string; days: number; seed: number }>(
    'SELECT first_day, days, seed FROM data_sets WHERE name = $1', [name]);
  return r.rows[0];
}

export async function countClinics(db: pg.Pool | pg.PoolClient): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM clinics');
  return r.rows[0]?.n ?? 0;
}

/** Empties every table of operational data (benchmark reloads). */
export async function truncateAll(db: pg.PoolClient): Promise<void> {
  await db.query(`TRUNCATE appointments, bookings, dose_records, persons, slots, sessions, clinic_days,
    clinics, product_intervals, products, regions, jurisdiction, data_sets RESTART IDENTITY CASCADE`);
}

export async function insertReferenceData(db: pg.PoolClient, p: ProvinceSeed): Promise<void> {
  const j = p.jurisdiction;
  await db.query(
    `INSERT INTO jurisdiction (name, languages, default_language, time_zone, identifier_scheme)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (singleton) DO UPDATE SET name = EXCLUDED.name, languages = EXCLUDED.languages,
       default_language = EXCLUDED.default_language, time_zone = EXCLUDED.time_zone, identifier_scheme = EXCLUDED.identifier_scheme`,
    [j.name, j.languages, j.defaultLanguage, j.timeZone, j.identifierScheme]);
  await db.query(
    `INSERT INTO regions (code, name, name_fr, office_town, latitude, longitude, population)
     SELECT code, name, "nameFr", "officeTown", latitude, longitude, population
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, "nameFr" text, "officeTown" text,
       latitude float8, longitude float8, population int)`,
    [JSON.stringify(p.regions)]);
  await db.query(
    `INSERT INTO products (code, name, manufacturer, cvx, min_age_months, max_age_months, doses_per_vial, series_doses,
       booster_min_days, booster_min_age_months, interchangeable_group)
     SELECT code, name, manufacturer, cvx, "minAgeMonths", "maxAgeMonths", "dosesPerVial", "seriesDoses",
       (booster->>'minDays')::int, (booster->>'minAgeMonths')::int, "interchangeableGroup"
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, manufacturer text, cvx text, "minAgeMonths" int,
       "maxAgeMonths" int, "dosesPerVial" int, "seriesDoses" int, booster jsonb, "interchangeableGroup" text)`,
    [JSON.stringify(p.products)]);
  await db.query(
    `INSERT INTO product_intervals (product_id, after_dose, min_days, recommended_days, max_days)
     SELECT pr.id, i.ord, (i.v->>'minDays')::int, (i.v->>'recommendedDays')::int, (i.v->>'maxDays')::int
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, intervals jsonb)
     JOIN products pr ON pr.code = x.code
     CROSS JOIN LATERAL jsonb_array_elements(x.intervals) WITH ORDINALITY AS i(v, ord)`,
    [JSON.stringify(p.products)]);
  await db.query(
    `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, phone,
       languages, accessibility, accessibility_notes, time_zone)
     SELECT r.id, x.code, x.name, x.kind, x.street, x.city, x."postalCode", x.latitude, x.longitude, x.phone,
       x.languages, x.accessibility, x."accessibilityNotes", x."timeZone"
     FROM jsonb_to_recordset($1::jsonb) AS x(code text, "regionCode" text, name text, kind text, street text, city text,
       "postalCode" text, latitude float8, longitude float8, phone text, languages text[], accessibility text[],
       "accessibilityNotes" text, "timeZone" text)
     JOIN regions r ON r.code = x."regionCode"`,
    [JSON.stringify(p.clinics)]);
}

/**
 * Expands weekly shift patterns over [firstDay, firstDay + days) into clinic-days
 * and sessions; local clock times become timestamptz in each clinic's time zone.
 * Returns the range of session ids created, for slot generation.
 */
export async function insertCalendar(db: pg.PoolClient, p: ProvinceSeed, firstDay: string, days: number,
  published: boolean): Promise<{ fromSession: number; toSession: number }> {
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS seed_shifts (
      clinic_code text, iso_weekday int, start_time time, end_time time, product_code text, stations int, minutes int
    ) ON COMMIT DROP`);
  await db.query(
    `INSERT INTO seed_shifts
     SELECT "clinicCode", "isoWeekday", start::time, "end"::time, "productCode", stations, minutes
     FROM jsonb_to_recordset($1::jsonb) AS x("clinicCode" text, "isoWeekday" int, start text, "end" text,
       "productCode" text, stations int, minutes int)`,
    [JSON.stringify(p.shifts)]);
  const lastDay = `(${'$1'}::date + ($2::int - 1))`;
  await db.query(
    `INSERT INTO clinic_days (region_id, clinic_id, day, published_at)
     SELECT DISTINCT c.region_id, c.id, d::date, CASE WHEN $3 THEN now() END
     FROM seed_shifts s
     JOIN clinics c ON c.code = s.clinic_code
     CROSS JOIN generate_series($1::date, ${lastDay}, interval '1 day') AS d
     WHERE extract(isodow FROM d) = s.iso_weekday
     ON CONFLICT (clinic_id, day) DO NOTHING`,
    [firstDay, days, published]);
  const r = await db.query<{ lo: number | null; hi: number | null }>(
    `WITH created AS (
       INSERT INTO sessions (region_id, clinic_id, clinic_day_id, product_id, starts_at, ends_at, stations, minutes_per_appointment)
       SELECT cd.region_id, cd.clinic_id, cd.id, pr.id,
              (cd.day + s.start_time) AT TIME ZONE c.time_zone,
              (cd.day + s.end_time) AT TIME ZONE c.time_zone,
              s.stations, s.minutes
       FROM seed_shifts s
       JOIN clinics c ON c.code = s.clinic_code
       JOIN products pr ON pr.code = s.product_code
       JOIN clinic_days cd ON cd.clinic_id = c.id AND cd.day BETWEEN $1::date AND ${lastDay}
                          AND extract(isodow FROM cd.day) = s.iso_weekday
       ORDER BY cd.day, c.id, s.start_time
       RETURNING id
     )
     SELECT min(id) AS lo, max(id) AS hi FROM created`,
    [firstDay, days]);
  return { fromSession: r.rows[0]?.lo ?? 1, toSession: r.rows[0]?.hi ?? 0 };
}

/** Creates the slots of sessions with ids in [from, to]: one per appointment time, capacity = stations. */
export async function insertSlotsForSessions(db: pg.Pool | pg.PoolClient, from: number, to: number): Promise<number> {
  const r = await db.query(
    `INSERT INTO slots (region_id, clinic_id, clinic_day_id, session_id, product_id, starts_at, ends_at, capacity)
     SELECT s.region_id, s.clinic_id, s.clinic_day_id, s.id, s.product_id,
            t, t + make_interval(mins => s.minutes_per_appointment), s.stations
     FROM sessions s
     CROSS JOIN LATERAL generate_series(s.starts_at, s.ends_at - make_interval(mins => s.minutes_per_appointment),
                                        make_interval(mins => s.minutes_per_appointment)) AS t
     WHERE s.id BETWEEN $1 AND $2`,
    [from, to]);
  return r.rowCount ?? 0;
}

export async function recordDataSet(db: pg.PoolClient, name: string, seed: number, firstDay: string, days: number): Promise<void> {
  await db.query(
    `INSERT INTO data_sets (name, seed, first_day, days) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET seed = EXCLUDED.seed, first_day = EXCLUDED.first_day, days = EXCLUDED.days, loaded_at = now()`,
    [name, seed, firstDay, days]);
}

export async function databaseSize(db: pg.Pool | pg.PoolClient): Promise<{ bytes: number; pretty: string }> {
  const r = await db.query<{ bytes: number; pretty: string }>(
    'SELECT pg_database_size(current_database())::bigint AS bytes, pg_size_pretty(pg_database_size(current_database())) AS pretty');
  return r.rows[0]!;
}

export async function countSlots(db: pg.Pool | pg.PoolClient): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM slots');
  return r.rows[0]?.n ?? 0;
}

/** Serialises data-set loading across instances started at the same time (released at commit). */
export async function lockDataSetLoading(db: pg.PoolClient): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(7351002)');
}

export async function analyze(db: pg.Pool | pg.PoolClient): Promise<void> {
  await db.query('ANALYZE');
}
