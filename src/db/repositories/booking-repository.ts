import type pg from 'pg';
import { wholeDataSetQuery } from '../database.js';
import { BookingError } from '../../domain/booking-errors.js';
import { clinicTime } from '../../domain/calendar.js';

type Db = pg.Pool | pg.PoolClient;

/** The refusal a booking function's error stands for, or undefined for any other error. */
export function refusalFrom(err: unknown): BookingError | undefined {
  const e = err as { code?: string; sqlstate?: string; detail?: string; constraint?: string; message?: string };
  const state = e.code ?? e.sqlstate;
  const slotId = e.detail && /^\d+$/.test(e.detail) ? Number(e.detail) : undefined;
  switch (state) {
    case 'VB409': return new BookingError('slot_full', 'slot full', slotId);
    case 'VB404': return new BookingError('slot_unavailable', 'slot unavailable', slotId);
    case 'VB410': return new BookingError('hold_expired', 'hold expired');
    case 'VB422': return new BookingError('invalid_request', 'invalid request');
    case 'VB418': return new BookingError('identity_mismatch', 'identifier recorded with another date of birth'); // detail: the identifier, not a slot
    case 'VB429': return new BookingError('too_many_attempts', 'too many wrong dates of birth for an identifier');
    case 'VB412': return new BookingError('later_dose_booked', 'a later dose stays booked');
    case 'VB416': return new BookingError('nothing_to_reschedule', 'no active appointment for that dose');
    case 'VB403': return new BookingError(`invitation_${e.detail === 'revoked' || e.detail === 'expired' || e.detail === 'used' ? e.detail : 'unknown'}`, 'invitation refused');
    case '23505': return e.constraint === 'appointments_one_active_per_dose' ? new BookingError('already_booked', 'dose already booked') : undefined;
    case '23P01': return new BookingError('overlapping', 'overlapping appointment');
    default: return undefined;
  }
}

function translate(err: unknown): never {
  throw refusalFrom(err) ?? err;
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

/** Cancels `doses` (null: all) of a booking, of every person or only of the one at index `person` in the view. */
export async function cancel(db: Db, bookingId: number, doses: number[] | null, person?: number): Promise<number> {
  try {
    const r = await db.query<{ n: number }>(
      // An index that names nobody matches no appointment (-1), never everyone's (NULL).
      'SELECT vaxbook_cancel($1, $2::smallint[], CASE WHEN $3::int IS NOT NULL THEN coalesce(vaxbook_booking_person($1, $3::int), -1) END) AS n', [bookingId, doses, person ?? null]);
    return r.rows[0]!.n;
  } catch (err) {
    return translate(err);
  }
}

export async function expireHolds(db: Db, limit = 500): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT vaxbook_expire_holds($1) AS n', [limit]);
  return r.rows[0]!.n;
}

export interface DriftRow { slot_id: number; booked: number; held: number; active_appointments: number; active_hold_seats: number }

export async function counterDrift(db: Db, limit = 1000): Promise<DriftRow[]> {
  const r = await db.query<DriftRow>(wholeDataSetQuery('SELECT * FROM slot_counter_drift ORDER BY slot_id LIMIT $1', [limit]));
  return r.rows;
}

export interface SlotState { id: number; capacity: number; booked: number; held: number }

export async function slotStates(db: Db, ids: number[]): Promise<SlotState[]> {
  const r = await db.query<SlotState>('SELECT id, capacity, booked, held FROM slots WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
  return r.rows;
}

export interface SlotRow { id: number; clinic_id: number; product_id: number; session_id: number; starts_at: Date; ends_at: Date }

/**
 * The fixed facts of some slots and of every other slot in their sessions (at most 1,440 a session: one a
 * minute for a day). The next people to book there pick from the same sessions, so they need no read.
 */
export async function slotsOfSessions(db: Db, ids: number[]): Promise<SlotRow[]> {
  const r = await db.query<SlotRow>({
    name: 'slots_of_sessions',
    text: `SELECT s.id, s.clinic_id, s.product_id, s.session_id, s.starts_at, s.ends_at FROM slots s
           WHERE s.session_id IN (SELECT x.session_id FROM slots x WHERE x.id = ANY($1::bigint[]))`,
    values: [ids] });
  return r.rows;
}

/** A hold's status (active, released, expired, consumed), or undefined for an unknown hold. */
export async function holdStatus(db: Db, holdId: string): Promise<string | undefined> {
  return (await db.query<{ status: string }>('SELECT status FROM holds WHERE id = $1', [holdId])).rows[0]?.status;
}

export async function holdSlotIds(db: Db, holdId: string): Promise<Array<{ dose_number: number; slot_id: number; seats: number }>> {
  const r = await db.query<{ dose_number: number; slot_id: number; seats: number }>(
    'SELECT i.dose_number, i.slot_id, h.seats FROM hold_items i JOIN holds h ON h.id = i.hold_id WHERE i.hold_id = $1 ORDER BY i.dose_number', [holdId]);
  return r.rows;
}

export interface PersonInput {
  identifierScheme: string; identifier: string; dateOfBirth: string; givenName: string; familyName: string;
  language: string; email: string | null; mobile: string | null; addressLine: string | null; city: string | null; postalCode: string | null;
  regionCode?: string | null; groups?: string[]; identityDocument?: string; identifierVersion?: string;
  /** Doses the caller assumed recorded for this person: the call raises VB428 if there are more. */
  knownDoses?: number; declaredDoses?: Array<{ date: string; product: string }>; invitationCode?: string;
}

export interface BookingView {
  bookingId: number; confirmationCode: string;
  appointments: Array<{ dose: number; status: string; startsAt: string; endsAt: string; slotId: number; personGivenName: string; person: number;
    clinic: { id: number; name: string; street: string; city: string; postalCode: string; timeZone: string }; product: string }>;
}

/** A booking by its code, only when the date of birth matches one of its people. */
export async function findBooking(db: Db, code: string, dateOfBirth: string): Promise<BookingView | undefined> {
  const r = await db.query<{ view: BookingView }>(
    `SELECT vaxbook_booking_view(b.id) AS view FROM bookings b
     WHERE b.confirmation_code = $1
       AND EXISTS (SELECT 1 FROM appointments a JOIN persons p ON p.id = a.person_id
                   WHERE a.booking_id = b.id AND p.date_of_birth = $2::date)`, [code, dateOfBirth]);
  const view = r.rows[0]?.view;
  // JSON from PostgreSQL writes times in the session's zone: written as every other answer writes them, in the clinic's.
  return view && { ...view, appointments: view.appointments.map((a) => ({ ...a, startsAt: clinicTime(new Date(a.startsAt), a.clinic.timeZone), endsAt: clinicTime(new Date(a.endsAt), a.clinic.timeZone) })) };
}

export interface CreateBookingCall {
  idempotencyKey?: string; requestHash: string; persons: PersonInput[]; holdId?: string; slots?: number[]; doses?: number[];
  channel: string; code: string;
}
export type CreateBookingAnswer =
  | { kind: 'booked'; bookingId: number; confirmationCode: string; replay: boolean }
  | { kind: 'refused'; refusal: BookingError; replay: boolean }
  | { kind: 'key_reused' }
  | { kind: 'history_changed' };

/** The whole booking request in one round trip (vaxbook_create_booking). */
export async function createBookingInOneCall(db: Db, a: CreateBookingCall): Promise<CreateBookingAnswer> {
  let answer: { bookingId?: number; confirmationCode?: string; error?: { sqlstate: string; constraint?: string; detail?: string }; replay: boolean };
  try {
    // Named: each connection parses and plans the hottest statement once, not on every booking.
    const r = await db.query<{ answer: typeof answer }>({
      name: 'vaxbook_create_booking',
      text: 'SELECT vaxbook_create_booking($1, $2, $3::jsonb, $4::uuid, $5::bigint[], $6::smallint[], $7, $8) AS answer',
      values: [a.idempotencyKey ?? null, a.requestHash, JSON.stringify(a.persons), a.holdId ?? null, a.slots ?? null, a.doses ?? null, a.channel, a.code],
    });
    answer = r.rows[0]!.answer;
  } catch (err) {
    if ((err as { code?: string }).code === 'VB428') return { kind: 'history_changed' };
    const refusal = refusalFrom(err);
    if (!refusal) throw err;
    return { kind: 'refused', refusal: whose(refusal, (err as { detail?: string }).detail, a.persons), replay: false };
  }
  if (answer.bookingId) return { kind: 'booked', bookingId: answer.bookingId, confirmationCode: answer.confirmationCode!, replay: answer.replay };
  if (answer.error?.sqlstate === 'VB423') return { kind: 'key_reused' };
  const refusal = refusalFrom(answer.error);
  if (!refusal) throw new Error(`unexpected booking error ${answer.error?.sqlstate}`);
  return { kind: 'refused', refusal: whose(refusal, answer.error?.detail, a.persons), replay: answer.replay };
}

/** An identity refusal names the identifier (the error's detail): which of the people booked together it is. */
function whose(refusal: BookingError, detail: string | undefined, persons: PersonInput[]): BookingError {
  if (refusal.refusal !== 'identity_mismatch' || detail === undefined) return refusal;
  const i = persons.findIndex((p) => p.identifier === detail);
  return i < 0 ? refusal : new BookingError(refusal.refusal, refusal.message, undefined, i);
}

/** Moves one dose of a booking to another slot, everyone's or one person's (vaxbook_reschedule); returns how many appointments moved. */
export async function reschedule(db: Db, bookingId: number, dose: number, newSlotId: number, person?: number): Promise<number> {
  try {
    const r = await db.query<{ n: number }>(
      // As in cancel: an index that names nobody moves no appointment (-1), never everyone's (NULL).
      'SELECT vaxbook_reschedule($1, $2::smallint, $3, CASE WHEN $4::int IS NOT NULL THEN coalesce(vaxbook_booking_person($1, $4::int), -1) END) AS n',
      [bookingId, dose, newSlotId, person ?? null]);
    return r.rows[0]!.n;
  } catch (err) {
    return translate(err);
  }
}

/** What the roll-out knows of one person of a booking: as recorded when they booked, and the invitation they came in on. */
export interface BookedPerson {
  personId: number; identifierScheme: string; identifier: string; dateOfBirth: string; regionCode: string | null; groups: string[];
  invitation: { cohortId: string; regionCode: string; asDependent: boolean } | null;
}

/** A booking's people and its active appointments, for re-checking the series and the roll-out when a dose moves. */
/**
 * The people of a booking with an active appointment, each with their index in the booking's view (the order of
 * their first appointments, as vaxbook_booking_view numbers them) and their own active doses.
 */
export async function bookingPeopleAndDoses(db: Db, bookingId: number): Promise<Array<BookedPerson & { index: number; doses: Array<{ dose: number; slotId: number }> }>> {
  const r = await db.query<{ person_id: number; scheme: string; identifier: string; dob: string; region_code: string | null; groups: string[]; holder: boolean;
    cohort_id: string | null; invitation_region: string | null; dose: number; slot_id: number; person_index: number }>(
    `SELECT p.id AS person_id, p.identifier_scheme AS scheme, p.identifier, p.date_of_birth::text AS dob, r.code AS region_code, p.groups, p.id = b.person_id AS holder,
            inv.cohort_id, inv.region_code AS invitation_region, a.dose_number AS dose, a.slot_id, o.person_index
     FROM appointments a JOIN persons p ON p.id = a.person_id JOIN bookings b ON b.id = a.booking_id
     JOIN (SELECT person_id, (row_number() OVER (ORDER BY min(id)) - 1)::int AS person_index
             FROM appointments WHERE booking_id = $1 GROUP BY person_id) o ON o.person_id = a.person_id
     LEFT JOIN regions r ON r.id = p.region_id
     LEFT JOIN LATERAL (
       SELECT ib.cohort_id, ir.code AS region_code FROM invitation_codes c
         JOIN invitation_batches ib ON ib.id = c.batch_id JOIN regions ir ON ir.id = ib.region_id
        WHERE c.person_id = b.person_id AND ib.revoked_at IS NULL ORDER BY c.code LIMIT 1) inv ON true
     WHERE a.booking_id = $1 AND a.status IN ('booked', 'checked_in') ORDER BY o.person_index, a.dose_number`, [bookingId]);
  const people = new Map<number, BookedPerson & { index: number; doses: Array<{ dose: number; slotId: number }> }>();
  for (const row of r.rows) {
    const person = people.get(row.person_id) ?? {
      personId: row.person_id, identifierScheme: row.scheme, identifier: row.identifier, dateOfBirth: row.dob, regionCode: row.region_code, groups: row.groups,
      invitation: row.cohort_id && row.invitation_region ? { cohortId: row.cohort_id, regionCode: row.invitation_region, asDependent: !row.holder } : null,
      index: row.person_index, doses: [],
    };
    person.doses.push({ dose: row.dose, slotId: row.slot_id });
    people.set(row.person_id, person);
  }
  return [...people.values()];
}

export interface Alternative { slot_id: number; starts_at: Date; free: number; clinic_id: number; clinic_name: string; time_zone: string; day: string }

/**
 * Free slots (room for `seats`) of the full slot's product at `clinicIds`, on days within `days` of its day, nearest
 * in time to it; the full slot's own clinic first.
 */
export async function alternativesTo(db: Db, slotId: number, clinicIds: number[], days: number, seats: number, limit: number): Promise<Alternative[]> {
  const r = await db.query<Alternative>(
    `SELECT s2.id AS slot_id, s2.starts_at, s2.capacity - s2.booked - s2.held AS free, c2.id AS clinic_id, c2.name AS clinic_name,
            c2.time_zone, cd.day::text AS day
     FROM slots s
     JOIN clinics c ON c.id = s.clinic_id
     JOIN clinics c2 ON c2.id = ANY ($2::int[])
     JOIN clinic_days cd ON cd.clinic_id = c2.id
      AND cd.day BETWEEN (s.starts_at AT TIME ZONE c.time_zone)::date - $3::int AND (s.starts_at AT TIME ZONE c.time_zone)::date + $3::int
      AND cd.published_at IS NOT NULL AND cd.cancelled_at IS NULL
     JOIN slots s2 ON s2.clinic_day_id = cd.id AND s2.product_id = s.product_id
     WHERE s.id = $1 AND s2.id <> s.id AND s2.starts_at > now() AND s2.capacity - s2.booked - s2.held >= $4
     ORDER BY c2.id = s.clinic_id DESC, abs(extract(epoch FROM s2.starts_at - s.starts_at)), s2.id
     LIMIT $5`, [slotId, clinicIds, days, seats, limit]);
  return r.rows;
}

export interface SummaryDriftRow { clinic_day_id: number; product_id: number; summary_capacity: number | null; summary_taken: number | null; slot_capacity: number | null; slot_taken: number | null }

/** Per clinic-day summaries that disagree with their slots (what search reads vs the truth). */
export async function summaryDrift(db: Db, limit = 1000): Promise<SummaryDriftRow[]> {
  const r = await db.query<SummaryDriftRow>(wholeDataSetQuery('SELECT * FROM day_availability_drift ORDER BY clinic_day_id, product_id LIMIT $1', [limit]));
  return r.rows;
}
