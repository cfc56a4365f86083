import { createHash } from 'node:crypto';
import type pg from 'pg';
import * as repo from '../db/repositories/booking-repository.js';
import * as idem from '../db/repositories/idempotency-repository.js';
import { withTransaction } from '../db/transaction.js';
import { BookingError } from '../domain/booking-errors.js';
import { newConfirmationCode, normaliseConfirmationCode } from '../domain/confirmation-code.js';
import { checkSeriesChoice, type ChoiceProblem } from '../domain/series-choice.js';
import type { SeriesProduct } from '../domain/dose-series.js';

export const HOLD_MINUTES = Number(process.env.VAXBOOK_HOLD_MINUTES ?? 10);

export interface PersonRequest {
  identifier: string; dateOfBirth: string; givenName: string; familyName: string; language?: string;
  email?: string; mobile?: string; address?: { line: string; city: string; postalCode: string };
}
export interface BookingRequest { holdId?: string; slots?: Array<{ dose: number; slotId: number }>; persons: PersonRequest[]; channel: 'portal' | 'call_centre' | 'clinic' }

/** What the HTTP layer answers: a status and either a result or a refusal. */
export type Outcome<T> = { status: 200 | 201; result: T } | { status: 404 | 409 | 410 | 422; refusal: string; detail?: unknown };

export interface BookingResult { confirmationCode: string; appointments: repo.BookingView['appointments'] }

function toSeriesProduct(s: repo.SlotDetail): SeriesProduct {
  return {
    code: s.product_code, seriesDoses: s.series_doses, minAgeMonths: s.min_age_months, maxAgeMonths: s.max_age_months,
    intervals: s.intervals, interchangeableGroup: s.interchangeable_group,
    booster: s.booster_min_days === null ? null : { minDays: s.booster_min_days, minAgeMonths: s.booster_min_age_months ?? 0 },
  };
}

/** Checks every person against the chosen slots with the same domain rules search uses. */
async function checkChoice(db: pg.Pool, picks: Array<{ dose: number; slotId: number }>, people: PersonRequest[]): Promise<ChoiceProblem | 'unknown_slot' | null> {
  const details = await repo.slotDetails(db, picks.map((p) => p.slotId));
  const byId = new Map(details.map((d) => [d.id, d]));
  if (picks.some((p) => !byId.has(p.slotId))) return 'unknown_slot';
  for (const person of people) {
    const problem = checkSeriesChoice(person.dateOfBirth, picks.map((p) => {
      const d = byId.get(p.slotId)!;
      return { dose: p.dose, day: d.day, product: toSeriesProduct(d) };
    }));
    if (problem) return problem;
  }
  return null;
}

function refusalOf(err: BookingError): Outcome<never> {
  const status = err.refusal === 'hold_expired' ? 410 : err.refusal === 'invalid_request' ? 422 : 409;
  return { status, refusal: err.refusal, detail: err.slotId ? { slotId: err.slotId } : undefined };
}

export async function createHold(pool: pg.Pool, picks: Array<{ dose: number; slotId: number }>, seats: number, dateOfBirth?: string): Promise<Outcome<{ holdId: string; expiresAt: string }>> {
  if (dateOfBirth) {
    const problem = await checkChoice(pool, picks, [{ identifier: '-', dateOfBirth, givenName: '-', familyName: '-' }]);
    if (problem === 'unknown_slot') return { status: 404, refusal: 'slot_unavailable' };
    if (problem) return { status: 422, refusal: 'series_invalid', detail: problem };
  }
  try {
    const hold = await repo.createHold(pool, picks.map((p) => p.slotId), picks.map((p) => p.dose), seats, HOLD_MINUTES);
    return { status: 201, result: { holdId: hold.id, expiresAt: hold.expiresAt.toISOString() } };
  } catch (err) {
    if (err instanceof BookingError) return refusalOf(err);
    throw err;
  }
}

export async function releaseHold(pool: pg.Pool, holdId: string): Promise<boolean> {
  return repo.releaseHold(pool, holdId);
}

/**
 * Books a whole series for one or more people, both doses or neither. With an
 * Idempotency-Key the outcome is stored in the same transaction, so a repeat
 * replays it and concurrent repeats wait for the first and replay it too.
 */
export async function createBooking(pool: pg.Pool, req: BookingRequest, idempotencyKey?: string): Promise<Outcome<BookingResult>> {
  const picks = req.holdId ? (await repo.holdSlotIds(pool, req.holdId)).map((h) => ({ dose: h.dose_number, slotId: h.slot_id })) : req.slots ?? [];
  if (picks.length === 0) return req.holdId ? { status: 410, refusal: 'hold_expired' } : { status: 422, refusal: 'invalid_request' };
  const problem = await checkChoice(pool, picks, req.persons);
  if (problem === 'unknown_slot') return { status: 409, refusal: 'slot_unavailable' };
  if (problem) return { status: 422, refusal: 'series_invalid', detail: problem };

  const requestHash = createHash('sha256').update(JSON.stringify(req)).digest('hex');
  return withTransaction(pool, async (db) => {
    if (idempotencyKey) {
      const prior = await idem.claim(db, 'createBooking', idempotencyKey, requestHash);
      if (prior && prior.request_hash !== requestHash) return { status: 422, refusal: 'idempotency_key_reused' };
      if (prior) return prior.result as Outcome<BookingResult>;
    }
    await idem.savepoint(db, 'effect');
    let outcome: Outcome<BookingResult>;
    try {
      const personIds = await repo.upsertPersons(db, req.persons.map((p) => ({
        identifierScheme: 'ontario-health-card', identifier: p.identifier.replace(/[\s-]/g, '').toUpperCase(), dateOfBirth: p.dateOfBirth,
        givenName: p.givenName, familyName: p.familyName, language: p.language ?? 'en',
        email: p.email ?? null, mobile: p.mobile ?? null, addressLine: p.address?.line ?? null,
        city: p.address?.city ?? null, postalCode: p.address?.postalCode ?? null,
      })));
      const code = newConfirmationCode();
      await repo.book(db, { personIds, holdId: req.holdId, slots: req.holdId ? undefined : picks.map((p) => p.slotId),
        doses: req.holdId ? undefined : picks.map((p) => p.dose), channel: req.channel, code });
      const view = await repo.findBooking(db, code, req.persons[0]!.dateOfBirth);
      outcome = { status: 201, result: { confirmationCode: code, appointments: view!.appointments } };
    } catch (err) {
      if (!(err instanceof BookingError)) throw err;
      await idem.rollbackTo(db, 'effect');
      outcome = refusalOf(err);
    }
    if (idempotencyKey) await idem.store(db, 'createBooking', idempotencyKey, outcome.status, outcome);
    return outcome;
  });
}

/** Ends expired holds (the sweeper); booking also checks expiry at use. */
export async function expireHolds(pool: pg.Pool): Promise<number> {
  return repo.expireHolds(pool);
}

export async function getBooking(pool: pg.Pool, code: string, dateOfBirth: string): Promise<repo.BookingView | undefined> {
  const canonical = normaliseConfirmationCode(code);
  return canonical ? repo.findBooking(pool, canonical, dateOfBirth) : undefined;
}

/** Cancels some doses (or all) of a booking found by code + date of birth; returns how many were cancelled. */
export async function cancelBooking(pool: pg.Pool, code: string, dateOfBirth: string, doses: number[] | null): Promise<number | undefined> {
  const booking = await getBooking(pool, code, dateOfBirth);
  if (!booking) return undefined;
  return repo.cancel(pool, booking.booking_id, doses);
}
