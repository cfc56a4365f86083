import type pg from 'pg';
import { BookingError } from '../../domain/booking-errors.js';

type Db = pg.Pool | pg.PoolClient;

/** Turns the booking functions' errors (002_booking_engine.sql) into BookingErrors. */
function translate(err: unknown): never {
  const e = err as { code?: string; detail?: string; constraint?: string; message?: string };
  const slotId = e.detail && /^\d+$/.test(e.detail) ? Number(e.detail) : undefined;
  switch (e.code) {
    case 'VB409': throw new BookingError('slot_full', e.message ?? 'slot full', slotId);
    case 'VB404': throw new BookingError('slot_unavailable', e.message ?? 'slot unavailable', slotId);
    case 'VB410': throw new BookingError('hold_expired', e.message ?? 'hold expired');
    case 'VB422': throw new BookingError('invalid_request', e.message ?? 'invalid request');
    case '23505':
      if (e.constraint === 'appointments_one_active_per_dose') throw new BookingError('already_booked', 'dose already booked');
      break;
    case '23P01': throw new BookingError('overlapping', 'overlapping appointment');
  }
  throw err;
}

export async function createHold(db: Db, slots: number[], doses: number[], seats: number, minutes: number): Promise<{ id: string; expiresAt: Date }> {
  try {
    const r = await db.query<{ hold_id: string; expires_at: Date }>(
      'SELECT hold_id, expires_at FROM vaxbook_hold($1::bigint[], $2::smallint[], $3, $4)', [slots, doses, seats, minutes]);
    return { id: r.rows[0]!.hold_id, expiresAt: r.rows[0]!.expires_at };
  } catch (err) {
    return translate(err);
  }
}

export async function releaseHold(db: Db, holdId: string): Promise<boolean> {
  const r = await db.query<{ ok: boolean }>('SELECT vaxbook_end_hold($1, $2) AS ok', [holdId, 'released']);
  return r.rows[0]!.ok;
}

export interface BookArgs { personIds: number[]; holdId?: string; slots?: number[]; doses?: number[]; channel: string; code: string }

/** The whole series booking in one round trip (vaxbook_book). */
export async function book(db: Db, a: BookArgs): Promise<number> {
  try {
    const r = await db.query<{ id: number }>('SELECT vaxbook_book($1::bigint[], $2::uuid, $3::bigint[], $4::smallint[], $5, $6) AS id',
      [a.personIds, a.holdId ?? null, a.slots ?? null, a.doses ?? null, a.channel, a.code]);
    return r.rows[0]!.id;
  } catch (err) {
    return translate(err);
  }
}

export async function cancel(db: Db, bookingId: number, doses: number[] | null): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT vaxbook_cancel($1, $2::smallint[]) AS n', [bookingId, doses]);
  return r.rows[0]!.n;
}

export async function expireHolds(db: Db, limit = 500): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT vaxbook_expire_holds($1) AS n', [limit]);
  return r.rows[0]!.n;
}

export interface DriftRow { slot_id: number; booked: number; held: number; active_appointments: number; active_hold_seats: number }

export async function counterDrift(db: Db, limit = 1000): Promise<DriftRow[]> {
  const r = await db.query<DriftRow>('SELECT * FROM slot_counter_drift ORDER BY slot_id LIMIT $1', [limit]);
  return r.rows;
}

export interface SlotState { id: number; capacity: number; booked: number; held: number }

export async function slotStates(db: Db, ids: number[]): Promise<SlotState[]> {
  const r = await db.query<SlotState>('SELECT id, capacity, booked, held FROM slots WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
  return r.rows;
}

export interface SlotDetail {
  id: number; day: string; starts_at: Date; ends_at: Date; clinic_id: number; clinic_name: string; time_zone: string;
  street: string; city: string; postal_code: string; product_code: string; product_name: string; series_doses: number;
  min_age_months: number; max_age_months: number | null; booster_min_days: number | null; booster_min_age_months: number | null;
  interchangeable_group: string | null;
  intervals: Array<{ minDays: number; recommendedDays: number; maxDays: number | null }>;
}

/** Slots with their clinic-local day and product rules, for checking a choice before taking it. */
export async function slotDetails(db: Db, ids: number[]): Promise<SlotDetail[]> {
  const r = await db.query<SlotDetail>(
    `SELECT s.id, (s.starts_at AT TIME ZONE c.time_zone)::date::text AS day, s.starts_at, s.ends_at, c.id AS clinic_id,
            c.name AS clinic_name, c.time_zone, c.street, c.city, c.postal_code, p.code AS product_code, p.name AS product_name,
            p.series_doses, p.min_age_months, p.max_age_months, p.booster_min_days, p.booster_min_age_months,
            p.interchangeable_group,
            COALESCE((SELECT json_agg(json_build_object('minDays', i.min_days, 'recommendedDays', i.recommended_days,
                        'maxDays', i.max_days) ORDER BY i.after_dose) FROM product_intervals i WHERE i.product_id = p.id), '[]') AS intervals
     FROM slots s JOIN clinics c ON c.id = s.clinic_id JOIN products p ON p.id = s.product_id
     WHERE s.id = ANY($1::bigint[])`, [ids]);
  return r.rows;
}

export async function holdSlotIds(db: Db, holdId: string): Promise<Array<{ dose_number: number; slot_id: number }>> {
  const r = await db.query<{ dose_number: number; slot_id: number }>(
    'SELECT dose_number, slot_id FROM hold_items WHERE hold_id = $1 ORDER BY dose_number', [holdId]);
  return r.rows;
}

export interface PersonInput {
  identifierScheme: string; identifier: string; dateOfBirth: string; givenName: string; familyName: string;
  language: string; email: string | null; mobile: string | null; addressLine: string | null; city: string | null; postalCode: string | null;
}

/** Finds or creates each person by identifier + date of birth (unique), refreshing their contact details; ids in input order. */
export async function upsertPersons(db: Db, people: PersonInput[]): Promise<number[]> {
  const r = await db.query<{ id: number; identifier: string; dob: string }>(
    `INSERT INTO persons (identifier_scheme, identifier, date_of_birth, given_name, family_name, language, email, mobile,
                          address_line, city, postal_code)
     SELECT "identifierScheme", identifier, "dateOfBirth"::date, "givenName", "familyName", language, email, mobile,
            "addressLine", city, "postalCode"
     FROM jsonb_to_recordset($1::jsonb) AS x("identifierScheme" text, identifier text, "dateOfBirth" text,
          "givenName" text, "familyName" text, language text, email text, mobile text, "addressLine" text, city text, "postalCode" text)
     ON CONFLICT (identifier_scheme, identifier, date_of_birth) DO UPDATE SET
       given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, language = EXCLUDED.language,
       email = COALESCE(EXCLUDED.email, persons.email), mobile = COALESCE(EXCLUDED.mobile, persons.mobile),
       address_line = COALESCE(EXCLUDED.address_line, persons.address_line), city = COALESCE(EXCLUDED.city, persons.city),
       postal_code = COALESCE(EXCLUDED.postal_code, persons.postal_code)
     RETURNING id, identifier, date_of_birth::text AS dob`, [JSON.stringify(people)]);
  const ids = new Map(r.rows.map((row) => [`${row.identifier}|${row.dob}`, row.id]));
  return people.map((p) => ids.get(`${p.identifier}|${p.dateOfBirth}`)!);
}

export interface BookingView {
  booking_id: number; confirmation_code: string; created_at: Date;
  appointments: Array<{ dose: number; status: string; startsAt: string; endsAt: string; personGivenName: string;
    clinic: { id: number; name: string; street: string; city: string; postalCode: string; timeZone: string }; product: string }>;
}

/** A booking by its code, only when the date of birth matches one of its people. */
export async function findBooking(db: Db, code: string, dateOfBirth: string): Promise<BookingView | undefined> {
  const r = await db.query<BookingView>(
    `SELECT b.id AS booking_id, b.confirmation_code, b.created_at,
            json_agg(json_build_object('dose', a.dose_number, 'status', a.status, 'startsAt', a.starts_at, 'endsAt', a.ends_at,
              'personGivenName', p.given_name,
              'clinic', json_build_object('id', c.id, 'name', c.name, 'street', c.street, 'city', c.city,
                                          'postalCode', c.postal_code, 'timeZone', c.time_zone),
              'product', pr.name) ORDER BY p.id, a.dose_number) AS appointments
     FROM bookings b
     JOIN appointments a ON a.booking_id = b.id
     JOIN persons p ON p.id = a.person_id
     JOIN clinics c ON c.id = a.clinic_id
     JOIN products pr ON pr.id = a.product_id
     WHERE b.confirmation_code = $1
       AND EXISTS (SELECT 1 FROM appointments a2 JOIN persons p2 ON p2.id = a2.person_id
                   WHERE a2.booking_id = b.id AND p2.date_of_birth = $2::date)
     GROUP BY b.id`, [code, dateOfBirth]);
  return r.rows[0];
}
