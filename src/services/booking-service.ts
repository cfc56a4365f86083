import type pg from 'pg';
import * as repo from '../db/repositories/booking-repository.js';
import { keyAnsweredOtherRequest, once, requestHash } from './idempotency.js';
import { InputError } from './input-error.js';
import { checkTypedIdentifier } from './identity-service.js';
import { retrying } from '../db/transaction.js';
import { clinicsById, forgetCachedReferenceData, productsById, restrictedSessionsById } from './reference-cache.js';
import type { ClinicRow } from '../db/repositories/reference-repository.js';
import type { Product } from '../domain/availability.js';
import { clinicTime, localDate } from '../domain/calendar.js';
import { distanceKm } from '../domain/geo.js';
import { dateOfBirthProblem, pastDoseDateProblem } from '../domain/age.js';
import { jurisdictionToday } from './reference-service.js';
import { BookingError } from '../domain/booking-errors.js';
import { newConfirmationCode, normaliseConfirmationCode } from '../domain/confirmation-code.js';
import { checkSeriesChoice, type ChoiceProblem } from '../domain/series-choice.js';
import { mayBook, reasonMessage, type Eligibility } from '../domain/eligibility.js';
import { entitledOn, type Rollout } from '../domain/rollout.js';
import { limitReached } from '../db/repositories/rate-limit-repository.js';
import { doseHistory } from '../db/repositories/rollout-repository.js';
import { eligibilityOf, namesOf, resolvePerson } from './eligibility-service.js';


export interface PersonRequest {
  /** The jurisdiction's identifier; or, for someone without one, an identity document an agent has seen. */
  identifier?: string; identityDocument?: { type: string; number: string };
  dateOfBirth: string; givenName: string; familyName: string; language?: string;
  email?: string; mobile?: string; address?: { line: string; city: string; postalCode: string };
  /** Region of residence (or postalCode, or the address's postal code): the roll-out opens by region. */
  regionCode?: string; postalCode?: string; groups?: string[];
  /** Doses already had elsewhere, oldest first; kept as declared doses. */
  previousDoses?: Array<{ date: string; product: string }>;
}
export interface BookingRequest {
  holdId?: string; slots?: Array<{ dose: number; slotId: number }>; persons: PersonRequest[]; channel: 'portal' | 'call_centre' | 'clinic';
  /** An invitation code: bound to the first person; the others book as their dependents. */
  invitationCode?: string;
  /** Per person, the shared count of wrong dates of birth for their card that the booking call checks first (portal). */
  guessGuards?: Array<{ guessKey: string; guessLimit: number } | undefined>;
  /** Why staff made the request (audited): part of what an Idempotency-Key compares, as every field sent is. */
  reason?: string;
}

/** What the HTTP layer answers: a status and either a result or a refusal. */
/** An answer; `replayed` when it is the stored answer of an earlier request with the same Idempotency-Key. */
export type Outcome<T> = ({ status: 200 | 201; result: T } | { status: 403 | 404 | 409 | 410 | 422 | 429; refusal: string; detail?: unknown }) & { replayed?: boolean };

export interface BookingResult { confirmationCode: string; appointments: repo.BookingView['appointments'] }

/** A slot with its clinic-local day, clinic and product rules. */
interface SlotFacts { id: number; sessionId: number; day: string; startsAt: Date; endsAt: Date; clinic: ClinicRow; product: Product }

// A slot's time, session, clinic and product never change once created, so they are cached (per database);
// the clinic's and product's rows (a clinic's cohorts change) come from the current directory at each use.
// Whether a slot is still bookable is decided by the database at booking time.
type CachedSlot = Omit<SlotFacts, 'clinic' | 'product'> & { clinicId: number; productId: number };
const slotCaches = new WeakMap<pg.Pool, Map<number, CachedSlot>>();
const lastReload = new WeakMap<pg.Pool, number>();
async function slotFacts(db: pg.Pool, ids: number[]): Promise<Map<number, SlotFacts>> {
  let cache = slotCaches.get(db);
  if (!cache) slotCaches.set(db, (cache = new Map()));
  const missing = ids.filter((id) => !cache.has(id));
  let [clinics, products] = await Promise.all([clinicsById(db), productsById(db)]);
  if (missing.length) {
    if (cache.size > 200_000) cache.clear();
    const rows = await repo.slotsOfSessions(db, missing);
    if (rows.some((r) => !clinics.has(r.clinic_id) || !products.has(r.product_id)) && Date.now() - (lastReload.get(db) ?? 0) > 2_000) {
      // A clinic or product newer than the cached directory: read it afresh (at most every 2 s;
      // a closed clinic's slots stay unknown).
      lastReload.set(db, Date.now());
      forgetCachedReferenceData(db);
      [clinics, products] = await Promise.all([clinicsById(db), productsById(db)]);
    }
    for (const r of rows) {
      const clinic = clinics.get(r.clinic_id);
      if (!clinic || !products.has(r.product_id)) continue; // a closed clinic: its slots cannot be booked
      cache.set(r.id, { id: r.id, sessionId: r.session_id, day: localDate(r.starts_at, clinic.time_zone), startsAt: r.starts_at, endsAt: r.ends_at,
        clinicId: r.clinic_id, productId: r.product_id });
    }
  }
  return new Map(ids.flatMap((id) => {
    const s = cache.get(id);
    const clinic = s && clinics.get(s.clinicId);
    const product = s && products.get(s.productId);
    if (!s || !clinic || !product) return [];
    const { clinicId: _c, productId: _p, ...rest } = s;
    return [[id, { ...rest, clinic, product }] as const];
  }));
}

/**
 * Checks every person (their dates of birth; null: not known yet) against the chosen slots with the same
 * domain rules search uses. A slot is one dose's: the same slot twice is refused as such.
 */
async function checkChoice(db: pg.Pool, picks: Array<{ dose: number; slotId: number }>, dobs: Array<string | null>): Promise<ChoiceProblem | 'unknown_slot' | null> {
  const repeated = picks.find((p, i) => picks.findIndex((q) => q.slotId === p.slotId) !== i);
  if (repeated) return { problem: 'slot_repeated', dose: repeated.dose };
  const byId = await slotFacts(db, picks.map((p) => p.slotId));
  if (picks.some((p) => !byId.has(p.slotId))) return 'unknown_slot';
  for (const [person, dob] of dobs.entries()) {
    const problem = checkSeriesChoice(dob, picks.map((p) => {
      const d = byId.get(p.slotId)!;
      return { dose: p.dose, day: d.day, product: d.product };
    }));
    // Which person, when several are booked together: the one whose age the vaccine does not suit.
    if (problem) return dobs.length > 1 ? { ...problem, person } : problem;
  }
  return null;
}

const REUSED: Outcome<never> = { status: 422, refusal: 'idempotency_key_reused' };

/** How many alternatives a full slot's refusal offers, and how far away (km) another clinic may be to be among them. */
const ALTERNATIVES = 5;
const NEARBY_KM = 25;

/**
 * A full slot's refusal carries the nearest times with room for `seats` people that also fit the rest of the series
 * chosen with it (`picks`, for the people born on `dobs`): at the same clinic first (±7 days), then at the nearest
 * clinics within 25 km that serve everyone (±3 days). Every one of them can be booked in place of the full slot.
 */
async function withAlternatives<T>(pool: pg.Pool, outcome: Outcome<T>, seats: number, picks: Array<{ dose: number; slotId: number }>,
  dobs: Array<string | null>): Promise<Outcome<T>> {
  if (!('refusal' in outcome) || outcome.refusal !== 'slot_full') return outcome;
  const slotId = (outcome.detail as { slotId?: number } | undefined)?.slotId;
  const full = picks.find((p) => p.slotId === slotId);
  if (!slotId || !full) return outcome;
  const fits = async (candidate: number) => {
    const problem = await checkChoice(pool, picks.map((p) => (p === full ? { dose: p.dose, slotId: candidate } : p)), dobs);
    return problem === null || (problem !== 'unknown_slot' && problem.problem === 'pairing_required');
  };
  const clinic = (await slotFacts(pool, [slotId])).get(slotId)?.clinic;
  const nearby = clinic ? [...(await clinicsById(pool)).values()]
    .filter((c) => c.id !== clinic.id && c.cohorts === null)
    .map((c) => ({ id: c.id, km: distanceKm(clinic, c) })).filter((c) => c.km <= NEARBY_KM)
    .sort((a, b) => a.km - b.km).slice(0, 10).map((c) => c.id) : [];
  const found: repo.Alternative[] = [];
  for (const [clinicIds, days] of [[clinic ? [clinic.id] : [], 7], [nearby, 3]] as const) {
    if (found.length >= ALTERNATIVES || clinicIds.length === 0) continue;
    for (const a of await repo.alternativesTo(pool, slotId, [...clinicIds], days, seats, 8 * ALTERNATIVES)) {
      if (found.length < ALTERNATIVES && await fits(a.slot_id)) found.push(a);
    }
  }
  const alternatives = found.map((a) => ({
    slotId: a.slot_id, startsAt: clinicTime(a.starts_at, a.time_zone), free: a.free, clinicId: a.clinic_id, clinicName: a.clinic_name, day: a.day,
  }));
  return { ...outcome, detail: { slotId, alternatives } };
}

function seriesRefusal(problem: ChoiceProblem): Outcome<never> {
  return { status: 422, refusal: problem.problem === 'pairing_required' ? 'pairing_required' : 'series_invalid', detail: problem };
}

function refusalOf(err: BookingError): Outcome<never> {
  const status = err.refusal === 'hold_expired' ? 410 : err.refusal === 'invalid_request' ? 422 : err.refusal.startsWith('invitation_') ? 403
    : err.refusal === 'too_many_attempts' ? 429 : 409;
  return { status, refusal: err.refusal, detail: err.slotId ? { slotId: err.slotId } : err.person !== undefined ? { person: err.person } : undefined };
}

export async function createHold(pool: pg.Pool, picks: Array<{ dose: number; slotId: number }>, seats: number, holdMinutes: number,
  dateOfBirth?: string, idempotencyKey?: string): Promise<Outcome<{ holdId: string; expiresAt: string }>> {
  const request = { picks, seats, dateOfBirth };
  if (await keyAnsweredOtherRequest(pool, 'createHold', idempotencyKey, request)) return REUSED;
  // The series rules hold for every hold; ages only when the date of birth is given.
  const dobProblem = dateOfBirth ? dateOfBirthProblem(dateOfBirth, await jurisdictionToday(pool)) : null;
  if (dobProblem) throw new InputError('dateOfBirth', dobProblem);
  const problem = await checkChoice(pool, picks, [dateOfBirth ?? null]);
  if (problem === 'unknown_slot') return { status: 409, refusal: 'slot_unavailable' };
  if (problem) return seriesRefusal(problem);
  const outcome = await once<Outcome<{ holdId: string; expiresAt: string }>>(pool, 'createHold', idempotencyKey, request, async (db) => {
    try {
      const hold = await repo.createHold(db, picks.map((p) => p.slotId), picks.map((p) => p.dose), seats, holdMinutes);
      return { status: 201, result: { holdId: hold.id, expiresAt: hold.expiresAt.toISOString() } };
    } catch (err) {
      if (err instanceof BookingError) return refusalOf(err);
      throw err;
    }
  }, REUSED);
  return withAlternatives(pool, outcome, seats, picks, [dateOfBirth ?? null]);
}

/** Ends a hold: its capacity is free at once. Releasing one already ended changes nothing; one never made is 'not_found'. */
export async function releaseHold(pool: pg.Pool, holdId: string): Promise<'released' | 'not_found'> {
  if (await repo.releaseHold(pool, holdId)) return 'released';
  return (await repo.holdStatus(pool, holdId)) === undefined ? 'not_found' : 'released';
}

/** How a person is identified: the jurisdiction's scheme, or another document (flagged for checking at the clinic). */
interface Identity { scheme: string; identifier: string; version?: string; document?: string }

/**
 * Each identifier checked and normalised by the jurisdiction's scheme (the
 * error names the person and what is wrong), or another identity document,
 * which only an agent may record; the first person must be reachable
 * (dependents are reached through them); nobody is listed twice.
 */
async function checkPeople(pool: pg.Pool, persons: PersonRequest[], channel: BookingRequest['channel']): Promise<Identity[]> {
  const today = await jurisdictionToday(pool);
  persons.forEach((p, i) => {
    const problem = dateOfBirthProblem(p.dateOfBirth, today);
    if (problem) throw new InputError(`persons.${i}.dateOfBirth`, problem);
    p.previousDoses?.forEach((d, j) => {
      const bad = pastDoseDateProblem(d.date, p.dateOfBirth, today);
      if (bad) throw new InputError(`persons.${i}.previousDoses.${j}.date`, bad);
    });
  });
  const ids = await Promise.all(persons.map(async (p, i): Promise<Identity> => {
    if (p.identityDocument) {
      if (channel === 'portal') {
        throw new InputError(`persons.${i}.identityDocument`, {
          en: 'Without a health card, please call us: an agent will check another identity document with you.',
          fr: 'Sans carte Santé, appelez-nous : un agent vérifiera avec vous une autre pièce d’identité.',
        });
      }
      const number = p.identityDocument.number.replace(/[\s.-]/g, '').toUpperCase();
      return { scheme: 'other-document', identifier: `${p.identityDocument.type}:${number}`, document: p.identityDocument.type };
    }
    if (!p.identifier) {
      throw new InputError(`persons.${i}.identifier`, { en: 'Give the health card number.', fr: 'Indiquez le numéro de carte Santé.' });
    }
    const c = await checkTypedIdentifier(pool, p.identifier, p.dateOfBirth);
    if (!c.ok) throw new InputError(`persons.${i}.identifier`, c.message);
    return { scheme: c.scheme, identifier: c.value, version: c.version };
  }));
  const first = persons[0];
  if (first && !first.email && !first.mobile && !first.address) {
    throw new InputError('persons.0.email', {
      en: 'Give at least one way to reach you: e-mail, mobile number or postal address.',
      fr: 'Indiquez au moins un moyen de vous joindre : courriel, cellulaire ou adresse postale.',
    });
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    const key = `${id.scheme}|${id.identifier}`; // one person per identifier, whatever the date of birth
    if (seen.has(key)) throw new InputError(`persons.${i}.identifier`, { en: 'The same person is listed twice.', fr: 'La même personne figure deux fois.' });
    seen.add(key);
  });
  return ids;
}

/** One person's roll-out check for the chosen slots, with the same rules search uses; a refusal, or their facts for the booking. */
async function checkEligible(pool: pg.Pool, req: BookingRequest, i: number, { scheme, identifier }: Identity,
  picks: Array<{ dose: number; slot: SlotFacts }>, optimistic: boolean): Promise<{ refusal: Outcome<never> } | Checked> {
  const p = req.persons[i]!;
  const claims = {
    dateOfBirth: p.dateOfBirth, regionCode: p.regionCode, postalCode: p.postalCode ?? (p.regionCode ? undefined : p.address?.postalCode),
    groups: p.groups, invitationCode: req.invitationCode, history: p.previousDoses,
  };
  let resolved;
  try {
    resolved = await resolvePerson(pool, claims, { field: `persons.${i}.`, historyField: 'previousDoses', holder: i === 0 ? { scheme, identifier, dateOfBirth: p.dateOfBirth } : undefined, asDependent: i > 0 });
  } catch (err) {
    // A postal code from the address we cannot place is not the person's mistake: decide without a region.
    if (!(err instanceof InputError && err.field === `persons.${i}.postalCode` && !p.postalCode)) throw err;
    resolved = await resolvePerson(pool, { ...claims, postalCode: undefined }, { field: `persons.${i}.`, historyField: 'previousDoses', asDependent: i > 0 });
  }
  if (i === 0 && resolved.invitation && resolved.invitation.status !== 'valid') {
    return { refusal: { status: 403, refusal: `invitation_${resolved.invitation.status}` } };
  }
  // Doses recorded or booked here win over doses declared in the request (optimistic: assumed none, see
  // createBooking): a dose 2 booked apart from its dose 1 follows the dose 1 booked, not a date declared.
  // Read doses answer differently for the right date of birth: a card out of guesses is refused before they are read.
  const guard = req.guessGuards?.[i];
  if (!optimistic && guard && await limitReached(pool, guard.guessKey, guard.guessLimit)) return { refusal: { status: 429, refusal: 'too_many_attempts', detail: { person: i } } };
  const recorded = optimistic ? [] : await doseHistory(pool, scheme, identifier, p.dateOfBirth);
  const products = await productsById(pool);
  const history = recorded.length ? recorded.flatMap((d) => (products.get(d.product_id) ? [{ day: d.day, product: products.get(d.product_id)! }] : [])) : resolved.history;
  const { e, rules } = await eligibilityOf(pool, { ...resolved, history });
  const [first, ...rest] = [...picks].sort((a, b) => a.dose - b.dose);
  const checked: Checked = { regionCode: resolved.facts.regionCode, declared: recorded.length === 0, knownDoses: optimistic ? 0 : undefined };
  if (!first) return checked;
  if (recorded.some((d) => d.booked && d.dose_number === first.dose)) return { refusal: { status: 409, refusal: 'already_booked', detail: { person: i } } };
  if (first.dose !== e.dose) {
    return { refusal: { status: 422, refusal: 'dose_not_next', detail: { person: i, expectedDose: e.dose, window: e.window } } };
  }
  const refusal = await rolloutRefusal(pool, e, rules, p.dateOfBirth, i, first.slot, rest.map((r) => r.slot));
  return refusal ? { refusal } : checked;
}

/**
 * Whether the roll-out lets person `i` take `first` (the dose their eligibility is about) and `rest` (its
 * later doses): the phase open on that day, and a clinic and session that admit them. A refusal says why.
 */
async function rolloutRefusal(pool: pg.Pool, e: Eligibility, rules: Rollout | null, dateOfBirth: string, i: number,
  first: SlotFacts, rest: SlotFacts[]): Promise<Outcome<never> | null> {
  const cohorts = new Set(e.entitlements.map((x) => x.cohortId));
  const restricted = await restrictedSessionsById(pool);
  // A clinic, and a session within it, may serve only some cohorts: both must admit the person.
  const admits = (s: SlotFacts) => [s.clinic.cohorts, restricted.get(s.sessionId)?.cohorts ?? null]
    .every((only) => only === null || only.some((c) => cohorts.has(c)));
  const sessionOnly = restricted.get(first.sessionId)?.cohorts ?? null;
  if (mayBook(e, dateOfBirth, first.product, first.day, first.clinic.cohorts)
    && (sessionOnly === null || entitledOn(e.entitlements, first.day, sessionOnly)) && rest.every(admits)) return null;
  if (e.eligible && mayBook(e, dateOfBirth, first.product, first.day, null)) {
    return { status: 403, refusal: 'clinic_restricted', detail: { person: i } };
  }
  const names = namesOf(rules);
  // Eligible, but not on the day chosen (a birthday, a dose interval still running): say from when.
  const why = e.eligible && e.from ? [{ code: 'not_before' as const, opensOn: e.from }] : e.reasons;
  const reasons = why.map((r) => ({ code: r.code, opensOn: r.opensOn ?? null, messages: reasonMessage(r, names) }));
  return { status: 403, refusal: 'not_eligible', detail: { person: i, eligibleFrom: e.from, reasons } };
}

/** What the eligibility check found that the booking call needs: region, whether declared doses count, doses assumed recorded. */
interface Checked { regionCode: string | null; declared: boolean; knownDoses?: number }

/**
 * Books a whole series for one or more people, both doses or neither, in one
 * database call. With an Idempotency-Key the answer is stored in the same
 * transaction, so a repeat replays it and concurrent repeats wait for the
 * first and replay it too.
 */
export async function createBooking(pool: pg.Pool, req: BookingRequest, idempotencyKey?: string): Promise<Outcome<BookingResult>> {
  if (await keyAnsweredOtherRequest(pool, 'createBooking', idempotencyKey, req)) return REUSED;
  const ids = await checkPeople(pool, req.persons, req.channel);
  const held = req.holdId ? await repo.holdSlotIds(pool, req.holdId) : [];
  const picks = req.holdId ? held.map((h) => ({ dose: h.dose_number, slotId: h.slot_id })) : req.slots ?? [];
  if (picks.length === 0) return req.holdId ? { status: 404, refusal: 'hold_not_found' } : { status: 422, refusal: 'invalid_request' };
  const seats = held[0]?.seats;
  if (seats !== undefined && seats !== req.persons.length) {
    throw new InputError('persons', {
      en: `The times were kept for ${seats} ${seats === 1 ? 'person' : 'people'}: list exactly ${seats}, or choose the times again.`,
      fr: `Les créneaux ont été réservés pour ${seats} personne${seats === 1 ? '' : 's'} : indiquez-en exactement ${seats}, ou choisissez de nouveau les créneaux.`,
    });
  }
  const problem = await checkChoice(pool, picks, req.persons.map((p) => p.dateOfBirth));
  if (problem === 'unknown_slot') return { status: 409, refusal: 'slot_unavailable' };
  if (problem) return seriesRefusal(problem);
  const facts = await slotFacts(pool, picks.map((p) => p.slotId));
  const chosen = picks.map((p) => ({ dose: p.dose, slot: facts.get(p.slotId)! }));
  const invitationCode = req.invitationCode ? normaliseConfirmationCode(req.invitationCode) ?? req.invitationCode : undefined;
  // Someone booking a first dose with no doses declared most likely has none recorded: the booking call
  // checks that (knownDoses) instead of a read first, and a person with recorded doses comes back here
  // for a second pass that reads them (VB428). A refusal decided on assumed history is only final then.
  const firstDose = Math.min(...picks.map((x) => x.dose)) === 1;
  for (const readHistory of [false, true]) {
    const people: Checked[] = [];
    let refusal: Outcome<never> | undefined;
    let assumed = false;
    for (let i = 0; i < req.persons.length && !refusal; i++) {
      const optimistic = !readHistory && firstDose && !req.persons[i]!.previousDoses?.length;
      const verdict = await checkEligible(pool, req, i, ids[i]!, chosen, optimistic);
      if ('refusal' in verdict) {
        refusal = verdict.refusal;
        assumed = optimistic;
      } else people.push(verdict);
    }
    if (refusal && assumed) continue;
    if (refusal) return refusal;
    const answer = await bookChecked(pool, req, ids, people, picks, invitationCode, idempotencyKey);
    if (answer.kind !== 'history_changed') return answer.outcome;
  }
  throw new Error('dose history kept changing while booking');
}

/** The booking call itself, once every person has passed the checks. */
async function bookChecked(pool: pg.Pool, req: BookingRequest, ids: Identity[], people: Checked[], picks: Array<{ dose: number; slotId: number }>,
  invitationCode: string | undefined, idempotencyKey: string | undefined): Promise<{ kind: 'done'; outcome: Outcome<BookingResult> } | { kind: 'history_changed' }> {
  const answer = await retrying(() => repo.createBookingInOneCall(pool, {
    idempotencyKey, requestHash: requestHash(req),
    persons: req.persons.map((p, i) => ({
      identifierScheme: ids[i]!.scheme, identifier: ids[i]!.identifier, dateOfBirth: p.dateOfBirth,
      ...(ids[i]!.document ? { identityDocument: ids[i]!.document } : {}), ...(ids[i]!.version ? { identifierVersion: ids[i]!.version } : {}),
      givenName: p.givenName, familyName: p.familyName, language: p.language ?? 'en',
      email: p.email ?? null, mobile: p.mobile ?? null, addressLine: p.address?.line ?? null,
      city: p.address?.city ?? null, postalCode: p.address?.postalCode ?? p.postalCode ?? null,
      regionCode: people[i]!.regionCode, ...(p.groups ? { groups: p.groups } : {}),
      ...(people[i]!.declared && p.previousDoses?.length ? { declaredDoses: [...p.previousDoses].sort((a, b) => (a.date < b.date ? -1 : 1)) } : {}),
      ...(i === 0 && invitationCode ? { invitationCode } : {}),
      ...(people[i]!.knownDoses !== undefined ? { knownDoses: people[i]!.knownDoses } : {}),
      ...req.guessGuards?.[i],
    })),
    holdId: req.holdId, slots: req.holdId ? undefined : picks.map((p) => p.slotId),
    doses: req.holdId ? undefined : picks.map((p) => p.dose), channel: req.channel, code: newConfirmationCode(),
  }));
  if (answer.kind === 'history_changed') return answer;
  if (answer.kind === 'key_reused') return { kind: 'done', outcome: { status: 422, refusal: 'idempotency_key_reused' } };
  if (answer.kind === 'refused') {
    // A hold already turned into a booking, or given up, is not one whose time ran out: say which.
    if (answer.refusal.refusal === 'hold_expired' && req.holdId) {
      const status = await repo.holdStatus(pool, req.holdId);
      if (status === 'consumed') return { kind: 'done', outcome: { status: 409, refusal: 'hold_used', replayed: answer.replay } };
      if (status === 'released') return { kind: 'done', outcome: { status: 410, refusal: 'hold_released', replayed: answer.replay } };
    }
    return { kind: 'done', outcome: { ...await withAlternatives(pool, refusalOf(answer.refusal), req.persons.length, picks, req.persons.map((p) => p.dateOfBirth)), replayed: answer.replay } };
  }
  // The answer is built from what we asked for: every person has every dose, in the slots chosen.
  const slots = await slotFacts(pool, picks.map((p) => p.slotId));
  const sorted = [...picks].sort((a, b) => a.dose - b.dose);
  return { kind: 'done', outcome: {
    status: 201, replayed: answer.replay,
    result: {
      confirmationCode: answer.confirmationCode,
      appointments: req.persons.flatMap((person, index) => sorted.map((pick) => {
        const s = slots.get(pick.slotId)!;
        return {
          dose: pick.dose, status: 'booked', startsAt: clinicTime(s.startsAt, s.clinic.time_zone), endsAt: clinicTime(s.endsAt, s.clinic.time_zone), slotId: s.id,
          personGivenName: person.givenName, person: index, product: s.product.name,
          clinic: { id: s.clinic.id, name: s.clinic.name, street: s.clinic.street, city: s.clinic.city, postalCode: s.clinic.postal_code, timeZone: s.clinic.time_zone },
        };
      })),
    },
  } };
}

/** Ends expired holds (the sweeper); booking also checks expiry at use. */
export async function expireHolds(pool: pg.Pool): Promise<number> {
  return repo.expireHolds(pool);
}

export async function getBooking(pool: pg.Pool, code: string, dateOfBirth: string): Promise<repo.BookingView | undefined> {
  const canonical = normaliseConfirmationCode(code);
  return canonical ? repo.findBooking(pool, canonical, dateOfBirth) : undefined;
}

/** A person index (0, 1, … as the booking's appointments number them) must name someone in the booking. */
function checkPersonIndex(booking: repo.BookingView, person: number | undefined): void {
  const people = new Set(booking.appointments.map((a) => a.person)).size;
  if (person !== undefined && person >= people) {
    throw new InputError('person', {
      en: `This booking is for ${people} ${people === 1 ? 'person' : 'people'}: name one from 0 to ${people - 1}, as its appointments do.`,
      fr: `Cette réservation concerne ${people} personne${people === 1 ? '' : 's'} : indiquez-en une de 0 à ${people - 1}, comme dans ses rendez-vous.`,
    });
  }
}

/**
 * Cancels some doses (or all) of a booking found by code + date of birth, of everyone booked or of one person (their
 * index in the booking's appointments); returns how many appointments were cancelled.
 */
export async function cancelBooking(pool: pg.Pool, code: string, dateOfBirth: string, doses: number[] | null,
  idempotencyKey?: string, reason?: string, person?: number): Promise<Outcome<{ cancelled: number }>> {
  const request = { code: normaliseConfirmationCode(code) ?? code, doses, reason, person };
  if (await keyAnsweredOtherRequest(pool, 'cancelBooking', idempotencyKey, request)) return REUSED;
  const booking = await getBooking(pool, code, dateOfBirth);
  if (!booking) return { status: 404, refusal: 'booking_not_found' };
  checkPersonIndex(booking, person);
  const theirs = booking.appointments.filter((a) => person === undefined || a.person === person);
  // A dose this booking never had is a mistake to say, not a cancellation of nothing (a dose cancelled already is).
  const absent = doses?.find((d) => !theirs.some((a) => a.dose === d));
  if (absent !== undefined) return { status: 409, refusal: 'nothing_to_cancel', detail: { dose: absent } };
  // A dose named that was given already is not an appointment to cancel: said as such, not as a later dose kept.
  const given = theirs.find((a) => a.status === 'completed' && doses?.includes(a.dose));
  if (given && !theirs.some((a) => a.status === 'booked' && doses!.includes(a.dose))) {
    return { status: 409, refusal: 'dose_given', detail: { dose: given.dose } };
  }
  return once<Outcome<{ cancelled: number }>>(pool, 'cancelBooking', idempotencyKey, request,
    async (db) => {
      try {
        return { status: 200, result: { cancelled: await repo.cancel(db, booking.bookingId, doses, person) } };
      } catch (err) {
        if (err instanceof BookingError) return refusalOf(err);
        throw err;
      }
    }, REUSED);
}

/**
 * Moves one dose to another slot, atomically: if the new slot is gone, the old appointment stands. It moves everyone
 * booked for that dose, or only the person at index `person`. The series rules are checked with the new slot in
 * place of the old one, for every person moved, against their own other doses.
 */
export async function rescheduleBooking(pool: pg.Pool, code: string, dateOfBirth: string, dose: number, slotId: number,
  idempotencyKey?: string, reason?: string, person?: number): Promise<Outcome<BookingResult>> {
  const request = { code: normaliseConfirmationCode(code) ?? code, dose, slotId, reason, person };
  if (await keyAnsweredOtherRequest(pool, 'rescheduleBooking', idempotencyKey, request)) return REUSED;
  const booking = await getBooking(pool, code, dateOfBirth);
  if (!booking) return { status: 404, refusal: 'booking_not_found' };
  checkPersonIndex(booking, person);
  const moving = (await repo.bookingPeopleAndDoses(pool, booking.bookingId))
    .filter((p) => (person === undefined || p.index === person) && p.doses.some((d) => d.dose === dose));
  if (moving.length === 0) return { status: 409, refusal: 'nothing_to_reschedule' };
  const picksOf = (p: (typeof moving)[number]) => p.doses.map((d) => (d.dose === dose ? { dose, slotId } : d));
  for (const p of moving) {
    const problem = await checkChoice(pool, picksOf(p), [p.dateOfBirth]);
    if (problem === 'unknown_slot') return { status: 409, refusal: 'slot_unavailable' };
    // A series already half booked (its later dose cancelled) may still move the dose it has. The refusal says whose
    // doses do not fit, as a booking's does.
    if (problem && problem.problem !== 'pairing_required') return seriesRefusal({ ...problem, person: p.index });
  }
  // The roll-out and the clinic's restrictions apply to the new time as they do to a new booking; the dose before
  // is the person's own in this booking, or the one recorded as given (a dose 2 moved after dose 1).
  const facts = await slotFacts(pool, moving.flatMap((p) => picksOf(p).map((x) => x.slotId)));
  const moved = facts.get(slotId)!;
  const products = await productsById(pool);
  for (const p of moving) {
    const before = picksOf(p).find((x) => x.dose === dose - 1);
    const given = before || dose === 1 ? undefined
      : (await doseHistory(pool, p.identifierScheme, p.identifier, p.dateOfBirth)).find((d) => d.dose_number === dose - 1);
    const previous = before ? { day: facts.get(before.slotId)!.day, product: facts.get(before.slotId)!.product, dose: dose - 1 }
      : given && products.get(given.product_id) ? { day: given.day, product: products.get(given.product_id)!, dose: dose - 1 } : undefined;
    const next = { dose, kind: dose > moved.product.seriesDoses ? 'booster' as const : 'primary' as const, previous };
    const { e, rules } = await eligibilityOf(pool, { facts: { ...p }, history: [], invitation: null }, next);
    const refusal = await rolloutRefusal(pool, e, rules, p.dateOfBirth, p.index, moved, []);
    if (refusal) return refusal;
  }
  const outcome = await once<Outcome<BookingResult>>(pool, 'rescheduleBooking', idempotencyKey, request, async (db) => {
    try {
      await repo.reschedule(db, booking.bookingId, dose, slotId, person);
      const view = await repo.findBooking(db, booking.confirmationCode, dateOfBirth);
      return { status: 200, result: { confirmationCode: view!.confirmationCode, appointments: view!.appointments } };
    } catch (err) {
      if (err instanceof BookingError) return refusalOf(err);
      throw err;
    }
  }, REUSED);
  return withAlternatives(pool, outcome, moving.length, picksOf(moving[0]!), [moving[0]!.dateOfBirth]);
}
