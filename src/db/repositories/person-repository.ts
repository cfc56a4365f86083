import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface PersonRow {
  id: string; identifier_scheme: string; identifier: string; identifier_version: string | null; date_of_birth: string; given_name: string; family_name: string;
  language: string; email: string | null; mobile: string | null; address_line: string | null; city: string | null; postal_code: string | null;
  region_id: number | null; region_code: string | null; groups: string[]; identity_document: string | null; needs_identity_verification: boolean;
}

const SELECT = `SELECT p.id::text, p.identifier_scheme, p.identifier, p.identifier_version, p.date_of_birth::text, p.given_name, p.family_name,
  p.language, p.email, p.mobile, p.address_line, p.city, p.postal_code, p.region_id, r.code AS region_code, p.groups, p.identity_document,
  p.needs_identity_verification FROM persons p LEFT JOIN regions r ON r.id = p.region_id`;

export async function personsByIdentifier(db: Db, scheme: string, identifier: string, dateOfBirth: string): Promise<PersonRow[]> {
  return (await db.query<PersonRow>(`${SELECT} WHERE p.identifier_scheme = $1 AND p.identifier = $2 AND p.date_of_birth = $3::date`, [scheme, identifier, dateOfBirth])).rows;
}

/** Names are matched without case or accents; the postal code by its first three characters when given. */
export async function personsByNames(db: Db, givenName: string, familyName: string, dateOfBirth: string, postalArea: string | null): Promise<PersonRow[]> {
  return (await db.query<PersonRow>(`${SELECT}
    WHERE p.date_of_birth = $3::date AND lower(p.family_name) = lower($2) AND lower(p.given_name) = lower($1)
      AND ($4::text IS NULL OR upper(left(replace(p.postal_code, ' ', ''), 3)) = $4)
    ORDER BY p.id LIMIT 20`, [givenName, familyName, dateOfBirth, postalArea])).rows;
}

export async function personById(db: Db, id: string): Promise<PersonRow | undefined> {
  return (await db.query<PersonRow>(`${SELECT} WHERE p.id = $1`, [id])).rows[0];
}

export interface DoseRow { dose_number: number; product_code: string; product_name: string; administered_at: Date; source: string; clinic_name: string | null; lot_number: string | null }

export async function dosesOf(db: Db, personId: string): Promise<DoseRow[]> {
  return (await db.query<DoseRow>(
    `SELECT d.dose_number, p.code AS product_code, p.name AS product_name, d.administered_at, d.source, c.name AS clinic_name, d.lot_number
     FROM dose_records d JOIN products p ON p.id = d.product_id LEFT JOIN clinics c ON c.id = d.clinic_id
     WHERE d.person_id = $1 ORDER BY d.dose_number`, [personId])).rows;
}

export async function bookingCodesOf(db: Db, personId: string): Promise<Array<{ id: number; code: string; channel: string; created_at: Date; person_dob: string }>> {
  return (await db.query<{ id: number; code: string; channel: string; created_at: Date; person_dob: string }>(
    `SELECT DISTINCT b.id::int, b.confirmation_code AS code, b.channel, b.created_at, p.date_of_birth::text AS person_dob
     FROM bookings b JOIN appointments a ON a.booking_id = b.id JOIN persons p ON p.id = a.person_id
     WHERE a.person_id = $1 OR b.person_id = $1 ORDER BY b.created_at DESC`, [personId])).rows;
}

export async function notesOf(db: Db, personId: string): Promise<Array<{ id: string; note: string; created_at: Date; staff_name: string }>> {
  return (await db.query<{ id: string; note: string; created_at: Date; staff_name: string }>(
    `SELECT n.id::text, n.note, n.created_at, s.display_name AS staff_name FROM call_notes n JOIN staff_accounts s ON s.id = n.staff_id
     WHERE n.person_id = $1 ORDER BY n.created_at DESC`, [personId])).rows;
}

export async function addNote(db: Db, personId: string, staffId: number, note: string): Promise<{ id: string; created_at: Date }> {
  return (await db.query<{ id: string; created_at: Date }>(
    `INSERT INTO call_notes (person_id, staff_id, note) VALUES ($1, $2, $3) RETURNING id::text, created_at`, [personId, staffId, note])).rows[0]!;
}

/** The date of birth that opens a booking (any of its people), for staff acting on it by code alone. */
export async function bookingByCode(db: Db, code: string): Promise<{ person_dob: string } | undefined> {
  return (await db.query<{ person_dob: string }>(
    `SELECT p.date_of_birth::text AS person_dob FROM bookings b JOIN persons p ON p.id = b.person_id WHERE b.confirmation_code = $1`,
    [code])).rows[0];
}
