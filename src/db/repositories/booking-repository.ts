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
