import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

/**
 * The clinic floor: a day's roster, check-in, doses given, no-shows and
 * walk-ins. An appointment that ends (given, missed) gives its seat back in
 * the same statement, so the slot counters keep equal to the rows (invariant 1).
 */

export interface RosterRow {
  appointment_id: string; booking_code: string; person_id: string; given_name: string; family_name: string; date_of_birth: string;
  identifier: string; identifier_scheme: string; needs_identity_verification: boolean; dose_number: number; product_code: string; product_name: string;
  starts_at: Date; status: string; checked_in_at: Date | null; time_zone: string;
}

const ROSTER_SELECT = `
  SELECT a.id::text AS appointment_id, b.confirmation_code AS booking_code, p.id::text AS person_id, p.given_name, p.family_name,
         p.date_of_birth::text, p.identifier, p.identifier_scheme, p.needs_identity_verification, a.dose_number,
         pr.code AS product_code, pr.name AS product_name, a.starts_at, a.status, a.checked_in_at, c.time_zone
  FROM appointments a JOIN bookings b ON b.id = a.booking_id JOIN persons p ON p.id = a.person_id
  JOIN products pr ON pr.id = a.product_id JOIN clinics c ON c.id = a.clinic_id`;

/** Appointments at a clinic on a local day, by time (cancelled ones left out). */
export async function roster(db: Db, clinicId: number, day: string): Promise<RosterRow[]> {
  const r = await db.query<RosterRow>(`${ROSTER_SELECT}
    WHERE a.clinic_id = $1 AND a.status <> 'cancelled' AND (a.starts_at AT TIME ZONE c.time_zone)::date = $2::date
    ORDER BY a.starts_at, p.family_name, p.given_name`, [clinicId, day]);
  return r.rows;
}

export type Arrival = { code: string; dateOfBirth?: string } | { scheme: string; identifier: string; dateOfBirth: string } | { givenName: string; familyName: string; dateOfBirth: string };

/** Today's booked appointments at this clinic of the person (or booking) who just arrived. */
export async function arrivals(db: Db, clinicId: number, day: string, who: Arrival): Promise<RosterRow[]> {
  const where = 'code' in who ? `b.confirmation_code = $3${who.dateOfBirth ? ' AND p.date_of_birth = $4::date' : ''}`
    : 'identifier' in who ? 'p.identifier_scheme = $3 AND p.identifier = $4 AND p.date_of_birth = $5::date'
      : 'lower(p.given_name) = lower($3) AND lower(p.family_name) = lower($4) AND p.date_of_birth = $5::date';
  const args = 'code' in who ? [who.code, ...(who.dateOfBirth ? [who.dateOfBirth] : [])] : 'identifier' in who ? [who.scheme, who.identifier, who.dateOfBirth] : [who.givenName, who.familyName, who.dateOfBirth];
  const r = await db.query<RosterRow>(`${ROSTER_SELECT}
    WHERE a.clinic_id = $1 AND a.status IN ('booked', 'checked_in') AND (a.starts_at AT TIME ZONE c.time_zone)::date = $2::date AND ${where}
    ORDER BY a.starts_at`, [clinicId, day, ...args]);
  return r.rows;
}

export async function checkIn(db: Db, ids: string[]): Promise<number> {
  const r = await db.query(`UPDATE appointments SET status = 'checked_in', checked_in_at = now() WHERE id = ANY ($1::bigint[]) AND status = 'booked'`, [ids]);
  return r.rowCount ?? 0;
}

export interface AppointmentPlace {
  clinic_id: number; region_id: number; person_id: string; dose_number: number; booking_code: string;
  /** The appointment's day in its clinic's time zone. */
  day: string; time_zone: string; date_of_birth: string; product_code: string;
}

export async function appointmentPlace(db: Db, id: string): Promise<AppointmentPlace | undefined> {
  const r = await db.query<AppointmentPlace>(
    `SELECT a.clinic_id, a.region_id, a.person_id::text, a.dose_number, b.confirmation_code AS booking_code,
            (a.starts_at AT TIME ZONE c.time_zone)::date::text AS day, c.time_zone, p.date_of_birth::text AS date_of_birth, pr.code AS product_code
     FROM appointments a JOIN bookings b ON b.id = a.booking_id JOIN clinics c ON c.id = a.clinic_id
     JOIN persons p ON p.id = a.person_id JOIN products pr ON pr.id = a.product_id WHERE a.id = $1`, [id]);
  return r.rows[0];
}

/**
 * A dose given without its appointment (a walk-in): the appointment still booked for that dose is cancelled and
 * its place returned, so nobody comes back for a dose already had. Call inside the transaction that records it.
 */
export async function cancelAppointmentOfDose(db: pg.PoolClient, personId: string, dose: number): Promise<number> {
  const gone = await db.query<{ slot_id: string }>(
    `UPDATE appointments SET status = 'cancelled', cancelled_at = now()
     WHERE person_id = $1 AND dose_number = $2 AND status IN ('booked', 'checked_in') RETURNING slot_id`, [personId, dose]);
  if (gone.rowCount) await db.query('SELECT vaxbook_change_seats($1::bigint[], $2::integer[])', [gone.rows.map((r) => r.slot_id), gone.rows.map(() => -1)]);
  return gone.rowCount ?? 0;
}

export interface Administration { lotNumber: string; lotExpiry: string; site: string; administeredAt: Date; vaccinatorId: number | null; productId: number }

/**
 * The dose given at an appointment: the appointment completes, its seat is
 * returned, and the dose record is written — one statement. Null when the
 * appointment is not open (already given, cancelled, missed).
 */
export async function recordAdministration(db: Db, appointmentId: string, a: Administration): Promise<{ dose_record_id: string } | null> {
  const r = await db.query<{ dose_record_id: string }>(
    `WITH done AS (
       UPDATE appointments SET status = 'completed' WHERE id = $1 AND status IN ('booked', 'checked_in')
       RETURNING id, region_id, person_id, slot_id, clinic_id, dose_number),
     seat AS (UPDATE slots SET booked = booked - 1 WHERE id = (SELECT slot_id FROM done))
     INSERT INTO dose_records (region_id, person_id, product_id, dose_number, administered_at, clinic_id, appointment_id,
                               lot_number, lot_expiry, source, injection_site, vaccinator_id)
     SELECT region_id, person_id, $2, dose_number, $3, clinic_id, id, $4, $5::date, 'administered', $6, $7 FROM done
     RETURNING id::text AS dose_record_id`,
    [appointmentId, a.productId, a.administeredAt, a.lotNumber, a.lotExpiry, a.site, a.vaccinatorId]);
  return r.rows[0] ?? null;
}

/** Everyone still only booked for a local day whose time has passed: missed, and their seats returned. */
export async function markNoShows(db: Db, clinicId: number, day: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    `WITH missed AS (
       UPDATE appointments a SET status = 'no_show' FROM clinics c
       WHERE c.id = a.clinic_id AND a.clinic_id = $1 AND a.status = 'booked' AND a.starts_at < now()
         AND (a.starts_at AT TIME ZONE c.time_zone)::date = $2::date
       RETURNING a.slot_id),
     seats AS (
       UPDATE slots s SET booked = s.booked - m.n FROM (SELECT slot_id, count(*)::int AS n FROM missed GROUP BY slot_id) m WHERE s.id = m.slot_id)
     SELECT count(*)::int AS n FROM missed`, [clinicId, day]);
  return r.rows[0]!.n;
}

/** A dose given to someone who came without an appointment. */
export async function recordWalkIn(db: Db, personId: string, clinicId: number, doseNumber: number, a: Administration): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO dose_records (region_id, person_id, product_id, dose_number, administered_at, clinic_id, lot_number, lot_expiry,
                               source, injection_site, vaccinator_id, walk_in)
     SELECT c.region_id, $1, $2, $3, $4, c.id, $5, $6::date, 'administered', $7, $8, true FROM clinics c WHERE c.id = $9
     RETURNING id::text`,
    [personId, a.productId, doseNumber, a.administeredAt, a.lotNumber, a.lotExpiry, a.site, a.vaccinatorId, clinicId]);
  return r.rows[0]!.id;
}

export interface DaySummaryRow { booked: number; checked_in: number; administered: number; no_shows: number; cancelled: number; walk_ins: number; doses: Array<{ product: string; lot: string | null; doses: number }> }

export async function daySummary(db: Db, clinicId: number, day: string): Promise<DaySummaryRow> {
  const r = await db.query<DaySummaryRow>(
    `WITH c AS (SELECT id, time_zone FROM clinics WHERE id = $1),
     a AS (SELECT a.status FROM appointments a, c WHERE a.clinic_id = c.id AND (a.starts_at AT TIME ZONE c.time_zone)::date = $2::date),
     d AS (SELECT d.* FROM dose_records d, c WHERE d.clinic_id = c.id AND d.source = 'administered' AND (d.administered_at AT TIME ZONE c.time_zone)::date = $2::date)
     SELECT (SELECT count(*)::int FROM a WHERE status <> 'cancelled') AS booked,
            (SELECT count(*)::int FROM a WHERE status IN ('checked_in', 'completed')) AS checked_in,
            (SELECT count(*)::int FROM d) AS administered,
            (SELECT count(*)::int FROM a WHERE status = 'no_show') AS no_shows,
            (SELECT count(*)::int FROM a WHERE status = 'cancelled') AS cancelled,
            (SELECT count(*)::int FROM d WHERE walk_in) AS walk_ins,
            coalesce((SELECT jsonb_agg(x ORDER BY x.product, x.lot) FROM (
              SELECT p.code AS product, d.lot_number AS lot, count(*)::int AS doses FROM d JOIN products p ON p.id = d.product_id
              GROUP BY p.code, d.lot_number) x), '[]') AS doses`, [clinicId, day]);
  return r.rows[0]!;
}

/** The person's active appointment for a dose, if any. */
export async function activeAppointment(db: Db, personId: string, dose: number): Promise<{ starts_at: Date; clinic_name: string; time_zone: string } | undefined> {
  return (await db.query<{ starts_at: Date; clinic_name: string; time_zone: string }>(
    `SELECT a.starts_at, c.name AS clinic_name, c.time_zone FROM appointments a JOIN clinics c ON c.id = a.clinic_id
     WHERE a.person_id = $1 AND a.dose_number = $2 AND a.status IN ('booked', 'checked_in')`, [personId, dose])).rows[0];
}

/** Registers a person (or updates the one with the same identity), as booking does (vaxbook_upsert_person). */
export async function upsertPerson(db: Db, person: Record<string, unknown>): Promise<string> {
  return (await db.query<{ id: string }>(`SELECT vaxbook_upsert_person($1::jsonb)::text AS id`, [JSON.stringify(person)])).rows[0]!.id;
}
