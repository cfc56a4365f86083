import type pg from 'pg';
import * as avail from '../db/repositories/availability-repository.js';
import type { ClinicRow } from '../db/repositories/reference-repository.js';
import { addDays, clinicTime, localDate } from '../domain/calendar.js';
import { nextDoseWindow, windowBeforeNext, type DoseWindow } from '../domain/dose-series.js';
import { foreignCursor, InputError } from './input-error.js';
import { clinicDirectory, clinicsById, productCatalogue, restrictedSessionsById } from './reference-cache.js';
import { jurisdictionToday } from './reference-service.js';
import { dateOfBirthProblem, isValidDay } from '../domain/age.js';
export { forgetCachedReferenceData } from './reference-cache.js';
import { nearestRegion, postalArea, resolvePlace } from './place-service.js';
import {
  explainEmpty, needsPairing, nextDoseFinder, pairingHorizon, productAllowed,
  type DayRow, type Dose2Suggestion, type EmptyReason, type PreviousDose, type Product,
} from '../domain/availability.js';
import { distanceKm } from '../domain/geo.js';
import { entitledOn, type Entitlement, type Msg } from '../domain/rollout.js';
import { reasonMessage } from '../domain/eligibility.js';
import { eligibilityOf, invitationMessage, invitationProblem, namesOf, resolvePerson } from './eligibility-service.js';
import { currentRollout } from './rollout-service.js';

export interface SearchInput {
  latitude: number; longitude: number; radiusKm: number;
  from: string; to: string;
  dateOfBirth: string;
  dose: number;
  previous?: { day: string; productCode: string };
  productCode?: string; kind?: string; accessibility: string[]; language?: string;
  cursor?: string; limit: number;
  /** For how many of each clinic's days the first free times come along (default FIRST_TIMES_DAYS). */
  firstTimesDays?: number;
  /** The person's open ways in under the roll-out (undefined: not filtered, e.g. staff tools and tests). */
  entitlements?: Entitlement[];
  /** Dates of birth of others booked at the same times (a parent's children): only products that suit them all, in slots with room for all. */
  alsoFor?: string[];
  /** Their open ways in, in the same order (with `entitlements`: each must be admitted too). */
  alsoForEntitlements?: Entitlement[][];
  /** The next dose is booked already (moving an earlier one): no next dose to pair. */
  unpaired?: boolean;
}

export interface OfferedDay {
  day: string; clinicDayId: number; product: { code: string; name: string }; freeCapacity: number;
  /** The first free times, for each clinic's first `firstTimesDays` offered days (all times of any day: listDaySlots). */
  firstTimes: Array<{ slotId: number; startsAt: string; free: number }>;
  nextDose: (Dose2Suggestion & { clinicName: string; distanceKm: number; productCode: string }) | null;
}

/** A clinic within the radius. The row is the cached directory's own, never copied: a dense city has hundreds. */
export interface CandidateClinic { clinic: ClinicRow; distanceKm: number }
export interface ClinicOffer extends CandidateClinic { days: OfferedDay[] }

export interface SearchResult {
  items: ClinicOffer[];
  nextCursor?: string;
  explanation?: {
    reason: EmptyReason | 'not_yet_eligible' | 'too_young' | 'outside_window' | 'no_room_together' | 'product_not_offered' | 'dose_not_due' | 'days_cancelled' | 'invitation_refused'; nearest: (CandidateClinic & { day: string; product: string }) | null;
    /** Why someone cannot book yet: `person` 0 is the person searched for, 1… those of `alsoFor`, in order. */
    eligibility?: Array<{ person: number; code: string; opensOn: string | null; messages: Msg }>;
  };
}

const FIRST_TIMES = 3;
/**
 * Each clinic's first days come with their first times: the days people pick most, shown without a second request.
 * Times for all days cost a search about twice the database and app work (p95 16 -> 31 ms on the national data set).
 */
const FIRST_TIMES_DAYS = 3;

/**
 * Clinics are listed by the distance shown (to 0.1 km), then by their earliest day, then by id; a cursor is that key
 * of the last clinic given.
 */
type OfferKey = [distanceShown: number, firstDay: string, clinicId: number];
const offerKey = (o: ClinicOffer): OfferKey => [round1(o.distanceKm), o.days[0]!.day, o.clinic.id];
const compareKeys = (a: OfferKey, b: OfferKey) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2];

function encodeCursor(o: ClinicOffer): string {
  return Buffer.from(JSON.stringify(offerKey(o))).toString('base64url');
}

function decodeCursor(cursor: string): OfferKey {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'number' && Number.isFinite(v[0]) && v[0] >= 0
      && typeof v[1] === 'string' && isValidDay(v[1]) && Number.isSafeInteger(v[2]) && v[2] > 0) return [v[0], v[1], v[2]];
  } catch { /* fall through */ }
  throw foreignCursor();
}

/** Open clinics within the radius that match the filters, nearest first. */
async function candidateClinics(pool: pg.Pool, input: SearchInput): Promise<CandidateClinic[]> {
  const centre = { latitude: input.latitude, longitude: input.longitude };
  // A degree of latitude is at least 110.5 km: a box around the circle skips most clinics cheaply.
  const dLat = input.radiusKm / 110.5;
  const dLon = input.radiusKm / (110.5 * Math.max(0.01, Math.cos((Math.min(89, Math.abs(input.latitude) + dLat) * Math.PI) / 180)));
  const out: CandidateClinic[] = [];
  for (const c of await clinicDirectory(pool)) {
    if (Math.abs(c.latitude - input.latitude) > dLat || Math.abs(c.longitude - input.longitude) > dLon) continue;
    const km = distanceKm(centre, c);
    if (km > input.radiusKm || (input.kind && c.kind !== input.kind) || (input.language && !c.languages.includes(input.language))
      || !input.accessibility.every((a) => c.accessibility.includes(a))) continue;
    out.push({ clinic: c, distanceKm: km });
  }
  return out.sort((a, b) => a.distanceKm - b.distanceKm || a.clinic.id - b.clinic.id);
}

/**
 * Availability search: clinics nearest first, each with the days the person
 * may book, their free places and first free times, and for a multi-dose
 * series the dose-2 day that makes each dose-1 day bookable. An empty answer
 * says why, and where the nearest availability outside the filters is.
 */
export async function searchAvailability(pool: pg.Pool, input: SearchInput, explain = true): Promise<SearchResult> {
  const products = new Map((await productCatalogue(pool)).map((p) => [p.id, p]));
  const byCode = new Map([...products.values()].map((p) => [p.code, p]));
  if (input.productCode && !byCode.has(input.productCode)) {
    throw new InputError('product', { en: `There is no product "${input.productCode}".`, fr: `Le produit « ${input.productCode} » n'existe pas.` });
  }
  let previous: PreviousDose | undefined;
  if (input.dose > 1) {
    const prevProduct = input.previous && byCode.get(input.previous.productCode);
    if (!input.previous || !prevProduct) {
      throw new InputError('previousProduct', {
        en: 'For a second dose or a booster, give the date and product of the previous dose.',
        fr: 'Pour une deuxième dose ou un rappel, indiquez la date et le produit de la dose précédente.',
      });
    }
    previous = { day: input.previous.day, product: prevProduct, dose: input.dose - 1 };
  }
  const wanted = [...products.values()].filter((p) => !input.productCode || p.code === input.productCode);
  const inRadius = await candidateClinics(pool, input);
  const cohortsOf = new Map(inRadius.map((c) => [c.clinic.id, c.clinic.cohorts]));
  // Everyone booked together must be admitted: the person, and each of `alsoFor` when their ways are known.
  const everyone = [input.dateOfBirth, ...(input.alsoFor ?? [])];
  const seats = everyone.length;
  const waysOfEach = input.entitlements ? [input.entitlements, ...(input.alsoForEntitlements ?? [])] : undefined;
  const cohortsOfEach = waysOfEach?.map((e) => new Set(e.map((x) => x.cohortId)));
  const entitledAll = (day: string, cohorts: string[] | null) => !waysOfEach || waysOfEach.every((e) => entitledOn(e, day, cohorts));
  // A clinic serving only some cohorts admits a person only through one of them (also for a dose 2 there).
  const admits = (clinicId: number) => {
    const only = cohortsOf.get(clinicId) ?? null;
    return !cohortsOfEach || only === null || cohortsOfEach.every((ways) => only.some((c) => ways.has(c)));
  };
  // Sessions serving only cohorts someone here is not in on their day: their places are not offered.
  const barred = waysOfEach ? [...(await restrictedSessionsById(pool)).values()].filter((x) => !entitledAll(x.day, x.cohorts)) : [];
  const barredIds = barred.map((x) => x.id);
  const barredOn = new Map(barred.map((x) => [`${x.clinic_id}:${x.product_id}:${x.day}`, x]));
  const keyOf = (clinicDayId: number, productId: number) => `${clinicDayId}:${productId}`;
  const barredKeys = new Set(barred.map((x) => keyOf(x.clinic_day_id, x.product_id)));
  /** Day rows with their free places recounted slot by slot where a barred session shares the day, or for a group. */
  const recounted = async (rows: DayRow[]) => {
    const hit = seats > 1 ? rows : rows.filter((r) => barredKeys.has(keyOf(r.clinicDayId, r.productId)));
    if (hit.length === 0) return rows;
    const left = await avail.freePlaces(pool, hit, barredIds, seats);
    return rows.flatMap((r) => {
      const free = left.get(keyOf(r.clinicDayId, r.productId));
      return free === undefined ? [r] : free > 0 ? [{ ...r, free }] : [];
    });
  };
  /** The days a next dose may fall on, at clinics (and in sessions) that admit the person. */
  const pairable = async (free: avail.FreeDays[]) => {
    const admitted = free.filter((f) => admits(f.clinicId));
    if (barred.length === 0) return admitted;
    const hit = admitted.flatMap((f) => f.days.flatMap((d) => {
      const x = barredOn.get(`${f.clinicId}:${f.productId}:${d}`);
      return x ? [{ clinicDayId: x.clinic_day_id, productId: x.product_id }] : [];
    }));
    const left = await avail.freePlaces(pool, hit, barredIds, seats);
    return admitted.map((f) => ({ ...f, days: f.days.filter((d) => {
      const x = barredOn.get(`${f.clinicId}:${f.productId}:${d}`);
      return !x || (left.get(keyOf(x.clinic_day_id, x.product_id)) ?? 0) > 0;
    }) }));
  };
  const verdicts = new Map<string, boolean>(); // (product, day, clinic restriction) → allowed: the same few hundred recur
  const allowedFor = (dobs: string[], ignoreRestriction = false, anyProduct = false) => (r: DayRow) => {
    const cohorts = ignoreRestriction ? null : cohortsOf.get(r.clinicId) ?? null;
    const key = `${dobs.join(',')}:${r.productId}:${r.day}:${cohorts?.join(',') ?? ''}:${anyProduct}`;
    let ok = verdicts.get(key);
    if (ok === undefined) {
      const p = products.get(r.productId);
      ok = !!p && (anyProduct || wanted.includes(p)) && dobs.every((dob) => productAllowed(p, dob, r.day, input.dose, previous)) && entitledAll(r.day, cohorts);
      verdicts.set(key, ok);
    }
    return ok;
  };
  const allowed = allowedFor(everyone);
  const byId = new Map(inRadius.map((c) => [c.clinic.id, c]));
  const now = new Date();
  const withToday = (cs: CandidateClinic[]) => cs.map(({ clinic: c }) => ({ id: c.id, today: localDate(now, c.time_zone) }));
  let candidates = inRadius;
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  if (after) candidates = candidates.filter((c) => round1(c.distanceKm) >= after[0]);

  const paired = (p: Product) => !input.unpaired && needsPairing(p, input.dose);
  const pairedProducts = wanted.filter(paired);
  const horizon = pairedProducts.length ? pairingHorizon(pairedProducts, input.dose, input.from, input.to) : null;
  const distanceOf = (clinicId: number) => byId.get(clinicId)?.distanceKm ?? Infinity;
  // Every clinic in the radius, for a dose 2 elsewhere: fetched once, and only when some clinic has none of its own.
  let everywhere: ReturnType<typeof nextDoseFinder> | undefined;
  const findEverywhere = async () => {
    everywhere ??= nextDoseFinder(await pairable(await avail.freeDays(pool, withToday(inRadius), horizon!.from, horizon!.to, seats)),
      distanceOf, products, everyone, input.dose);
    return everywhere;
  };

  const offers: ClinicOffer[] = []; // in candidate order: the distance shown never decreases
  let consumed = 0;
  // The page is full once it has `limit` clinics and the next candidate is shown farther than the last of them
  // (a clinic shown at the same distance may come first, by its earliest day).
  const full = (next: CandidateClinic) => offers.length >= input.limit && round1(next.distanceKm) > round1(offers[input.limit - 1]!.distanceKm);
  // A few more clinics than the page needs: most clinics offer something, and every row read costs.
  const batchSize = input.limit + 3;
  while (consumed < candidates.length && !full(candidates[consumed]!)) {
    const batch = candidates.slice(consumed, consumed + batchSize);
    const rows = await recounted((await avail.dayRows(pool, withToday(batch), input.from, input.to, true)).filter(allowed));
    // The days a next dose may fall on come as one sorted array per clinic and product: far fewer rows to read.
    const nearby = horizon && rows.some((r) => paired(products.get(r.productId)!))
      ? nextDoseFinder(await pairable(await avail.freeDays(pool, withToday(batch), horizon.from, horizon.to, seats)), distanceOf, products, everyone, input.dose)
      : undefined;
    rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.productId - b.productId));
    const rowsOf = groupBy(rows, (r) => r.clinicId);
    for (const candidate of batch) {
      if (full(candidate)) break;
      const { clinic } = candidate;
      consumed++;
      const days: OfferedDay[] = [];
      for (const r of rowsOf.get(clinic.id) ?? []) {
        const product = products.get(r.productId)!;
        let nextDose: Dose2Suggestion | null = null;
        if (paired(product)) {
          nextDose = nearby!(clinic.id, r.day, product);
          if (!nextDose || !nextDose.sameClinic) nextDose = (await findEverywhere())(clinic.id, r.day, product);
          if (!nextDose) continue;
        }
        days.push({
          day: r.day, clinicDayId: r.clinicDayId, product: { code: product.code, name: product.name }, freeCapacity: r.free, firstTimes: [],
          nextDose: nextDose && {
            ...nextDose,
            clinicName: byId.get(nextDose.clinicId)?.clinic.name ?? '',
            distanceKm: round1(byId.get(nextDose.clinicId)?.distanceKm ?? 0),
            productCode: products.get(nextDose.productId)!.code,
          },
        });
      }
      const offer = { ...candidate, days };
      if (days.length && (!after || compareKeys(offerKey(offer), after) > 0)) offers.push(offer);
    }
  }
  offers.sort((a, b) => compareKeys(offerKey(a), offerKey(b)));
  const page = offers.slice(0, input.limit);

  const wantTimes = page.flatMap((c) => c.days.slice(0, input.firstTimesDays ?? FIRST_TIMES_DAYS).map((day) => ({ day, timeZone: c.clinic.time_zone })));
  const times = await avail.firstFreeTimes(pool, wantTimes.map(({ day: d }) => ({ clinicDayId: d.clinicDayId, productId: byCode.get(d.product.code)!.id })), FIRST_TIMES, barredIds, seats);
  const timesOf = groupBy(times, (t) => `${t.clinic_day_id}:${t.product_id}`);
  for (const { day: d, timeZone } of wantTimes) {
    d.firstTimes = (timesOf.get(`${d.clinicDayId}:${byCode.get(d.product.code)!.id}`) ?? [])
      .map((t) => ({ slotId: t.slot_id, startsAt: clinicTime(t.starts_at, timeZone), free: t.free }));
  }

  const result: SearchResult = { items: page };
  if (page.length === input.limit && (offers.length > page.length || consumed < candidates.length)) result.nextCursor = encodeCursor(page[page.length - 1]!);
  if (page.length === 0 && !input.cursor && explain) {
    const all = await avail.dayRows(pool, withToday(inRadius), input.from, input.to, false);
    let reason: NonNullable<SearchResult['explanation']>['reason'] = explainEmpty(inRadius.length, all, allowed, everyone.map((dob) => allowedFor([dob])), allowedFor(everyone, true));
    if (input.productCode && !input.unpaired && reason === 'not_eligible' && all.some(allowedFor(everyone, false, true))) reason = 'product_not_offered';
    // Nothing open because the days were called off, not because nothing was ever put online: said as such.
    if (reason === 'nothing_published' && await avail.anyCancelledDay(pool, inRadius.map((c) => c.clinic.id), input.from, input.to)) reason = 'days_cancelled';
    if (seats > 1 && reason === 'no_dose2') {
      // Free places, but perhaps never enough in one time for everyone: the day totals cannot tell.
      const open = all.filter((r) => r.free > 0 && allowed(r));
      const room = await avail.freePlaces(pool, open, barredIds, seats);
      if (![...room.values()].some((n) => n > 0)) reason = 'no_room_together';
    }
    result.explanation = { reason, nearest: await nearestOutsideFilters(pool, input) };
  }
  return result;
}

/**
 * The nearest availability with the filters relaxed: any kind of clinic, no accessibility or language
 * filter, any product (unless a booked next dose fixes it), 500 km, and the 90 days from today.
 */
async function nearestOutsideFilters(pool: pg.Pool, input: SearchInput): Promise<NonNullable<SearchResult['explanation']>['nearest']> {
  const today = await jurisdictionToday(pool);
  const from = input.unpaired && input.from > today ? input.from : today;
  const relaxed = await searchAvailability(pool, {
    ...input, radiusKm: Math.max(input.radiusKm, 500), from, to: input.unpaired ? input.to : addDays(today, 89), kind: undefined, accessibility: [],
    language: undefined, productCode: input.unpaired ? input.productCode : undefined, cursor: undefined, limit: 1,
  }, false);
  const first = relaxed.items[0];
  const day = first?.days[0];
  return first && day ? { clinic: first.clinic, distanceKm: first.distanceKm, day: day.day, product: day.product.name } : null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item); else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Free times of one clinic-day, for choosing a time after choosing a day.
 * Sessions serving only some cohorts show only to those cohorts (the `ways`
 * checkEligibility gave the person).
 */
export async function daySlots(pool: pg.Pool, clinicId: number, day: string, productCode?: string, cohorts: string[] = [], seats = 1) {
  // A clinic that does not exist, or is closed, has no times to offer: undefined, not an empty day.
  const clinic = (await clinicsById(pool)).get(clinicId);
  if (!clinic) return undefined;
  const products = await productCatalogue(pool);
  const product = productCode ? products.find((p) => p.code === productCode) : undefined;
  if (productCode && !product) {
    throw new InputError('product', { en: `There is no product "${productCode}".`, fr: `Le produit « ${productCode} » n'existe pas.` });
  }
  const barred = [...(await restrictedSessionsById(pool)).values()].filter((x) => x.clinic_id === clinicId && x.day === day && !x.cohorts.some((c) => cohorts.includes(c)));
  const slots = await avail.daySlots(pool, clinicId, day, product?.id ?? null, barred.map((x) => x.id), seats);
  return slots.map((s) => ({
    slotId: s.slot_id, startsAt: clinicTime(s.starts_at, clinic.time_zone), endsAt: clinicTime(s.ends_at, clinic.time_zone), free: s.free,
    product: products.find((p) => p.id === s.product_id)!.code,
  }));
}

/** A search as a person or a client asks it: a place or coordinates, optional dates, "booster" as a dose. */
export interface SearchRequest {
  latitude?: number; longitude?: number; place?: string; radiusKm: number; from?: string; to?: string;
  dateOfBirth: string; dose: number | 'booster'; previousDoseDate?: string; previousProduct?: string;
  /** Moving an earlier dose of a series whose next dose stays booked: that dose's day and product. */
  nextDoseDate?: string; nextProduct?: string;
  product?: string; kind?: string; accessibility: string[]; language?: string; cursor?: string; limit: number; firstTimesDays?: number;
  alsoFor?: string[];
  /** What the person says about themself, as in checkEligibility: the roll-out decides what they are offered. */
  regionCode?: string; postalCode?: string; groups?: string[]; invitationCode?: string;
}

/** The next dose that stays booked while an earlier one moves, and the window it leaves the earlier one. */
async function keptNextDose(pool: pg.Pool, b: SearchRequest) {
  if (!b.nextDoseDate && !b.nextProduct) return undefined;
  const product = (await productCatalogue(pool)).find((p) => p.code === b.nextProduct);
  if (!product) throw new InputError('nextProduct', { en: `There is no product "${b.nextProduct ?? ''}".`, fr: `Le produit « ${b.nextProduct ?? ''} » n'existe pas.` });
  if (!b.nextDoseDate || !isValidDay(b.nextDoseDate)) {
    throw new InputError('nextDoseDate', { en: 'Give the date of the next dose that stays booked.', fr: 'Indiquez la date de la dose suivante, qui reste réservée.' });
  }
  const window = typeof b.dose === 'number' ? windowBeforeNext(product, b.dose, b.nextDoseDate) : null;
  if (!window) {
    throw new InputError('nextDoseDate', {
      en: `Dose ${b.dose} of ${product.name} has no later dose in its series to keep.`,
      fr: `La dose ${b.dose} de ${product.name} n'a pas de dose suivante dans sa série.`,
    });
  }
  return { product, window };
}

/** Resolves a request's place, default dates and dose number (in the jurisdiction's "today"), then searches. */
export async function searchFromRequest(pool: pg.Pool, b: SearchRequest): Promise<SearchResult> {
  const today = await jurisdictionToday(pool);
  let at: { latitude: number; longitude: number };
  if (b.latitude !== undefined && b.longitude !== undefined) at = { latitude: b.latitude, longitude: b.longitude };
  else if (b.place) at = await resolvePlace(pool, b.place);
  else throw new InputError('place', { en: 'Give a place (town or postal code) or coordinates.', fr: 'Indiquez un lieu (ville ou code postal) ou des coordonnées.' });
  for (const [field, dob] of [['dateOfBirth', b.dateOfBirth], ...(b.alsoFor ?? []).map((d, i) => [`alsoFor.${i}`, d])] as const) {
    const problem = dateOfBirthProblem(dob, today);
    if (problem) throw new InputError(field, problem);
  }
  // The dose before may still be ahead (dose 2 chosen with the dose 1 being booked), never before birth.
  if (b.previousDoseDate && b.previousDoseDate < b.dateOfBirth) {
    throw new InputError('previousDoseDate', { en: 'The previous dose cannot be before the date of birth.', fr: 'La dose précédente ne peut pas précéder la date de naissance.' });
  }
  if (b.to && b.to < today) {
    throw new InputError('to', { en: 'The end date is in the past: search from today on.', fr: "La date de fin est passée : cherchez à partir d'aujourd'hui." });
  }
  let from = b.from && b.from > today ? b.from : today;
  let to = b.to ?? addDays(from, 27);
  // A later dose is due only from its interval after the dose before: asked without a start date, search from then.
  const due = await dueWindow(pool, b);
  if (due && !b.from && due.earliest > from && (!b.to || due.earliest <= b.to)) {
    from = due.earliest;
    to = b.to ?? addDays(from, 27);
  }
  const keep = await keptNextDose(pool, b);
  if (keep) {
    // Only days that keep the booked next dose inside its interval, with the same vaccine.
    if (keep.window.earliest && keep.window.earliest > from) from = keep.window.earliest;
    if (keep.window.latest < to) to = keep.window.latest;
    if (to < from) return { items: [], explanation: { reason: 'outside_window', nearest: null } };
  }
  if (!isValidDay(from) || !isValidDay(to) || to < from) {
    throw new InputError('to', { en: 'The end date must be on or after the start date.', fr: 'La date de fin doit suivre la date de début.' });
  }
  if (to > addDays(from, 91)) throw new InputError('to', { en: 'Search at most 92 days at a time.', fr: 'Cherchez sur 92 jours au plus à la fois.' });
  let dose = b.dose === 'booster' ? 0 : b.dose;
  if ((b.dose === 'booster' || dose > 1) && (!b.previousDoseDate || !b.previousProduct)) {
    throw new InputError('previousDoseDate', {
      en: 'For a second dose or a booster, give the date and product of the previous dose.',
      fr: 'Pour une deuxième dose ou un rappel, indiquez la date et le produit de la dose précédente.',
    });
  }
  if (b.dose === 'booster') {
    const prev = (await productCatalogue(pool)).find((p) => p.code === b.previousProduct);
    if (!prev) throw new InputError('previousProduct', { en: `There is no product "${b.previousProduct}".`, fr: `Le produit « ${b.previousProduct} » n'existe pas.` });
    dose = prev.seriesDoses + 1; // the booster is the dose after a complete series
  }
  const base = {
    ...at, radiusKm: b.radiusKm, from, to, dateOfBirth: b.dateOfBirth, dose,
    previous: b.previousDoseDate && b.previousProduct ? { day: b.previousDoseDate, productCode: b.previousProduct } : undefined,
    productCode: keep ? keep.product.code : b.product, unpaired: !!keep, kind: b.kind, accessibility: b.accessibility, language: b.language, cursor: b.cursor, limit: b.limit, firstTimesDays: b.firstTimesDays,
    alsoFor: b.alsoFor,
  };
  // Nothing, and no day searched falls in the dose's interval: that is why (a search judged on ages alone would say
  // the vaccines do not suit this dose).
  const saidWhy = (result: SearchResult): SearchResult => {
    const outside = due && (due.earliest > to || (due.latest !== null && due.latest < from));
    return outside && result.items.length === 0 && result.explanation?.reason === 'not_eligible'
      ? { ...result, explanation: { ...result.explanation, reason: 'dose_not_due' } } : result;
  };
  // A booking with an invitation code that can never be used is refused, roll-out or not: nothing is bookable with it.
  const deadCode = b.invitationCode ? await invitationProblem(pool, b.invitationCode) : null;
  if (deadCode) {
    return { items: [], explanation: { reason: 'invitation_refused', nearest: null,
      eligibility: [{ person: 0, code: `invitation_${deadCode}`, opensOn: null, messages: invitationMessage(deadCode) }] } };
  }
  if (!(await currentRollout(pool)).rules) return saidWhy(await searchAvailability(pool, base)); // no roll-out: open to all
  // Where the person lives decides which phases are open to them: as given, else the place searched from.
  const postal = b.postalCode ?? (b.place && postalArea(b.place) ? b.place : undefined);
  const regionCode = b.regionCode ?? (postal ? undefined : (await nearestRegion(pool, at))?.region);
  const products = await productCatalogue(pool);
  const prev = b.previousDoseDate && b.previousProduct ? products.find((p) => p.code === b.previousProduct) : undefined;
  if (b.previousProduct && !prev) throw new InputError('previousProduct', { en: `There is no product "${b.previousProduct}".`, fr: `Le produit « ${b.previousProduct} » n'existe pas.` });
  const next = { dose, kind: prev && dose > prev.seriesDoses ? 'booster' as const : 'primary' as const, previous: prev && { day: b.previousDoseDate!, product: prev, dose: dose - 1 } };
  // Those booked with the person (children) live with them and come in on their invitation, as a booking treats them.
  // A postal code typed as the place searched from is refused, if it must be, under the name of that field.
  const where = regionCode ? {} : b.postalCode ? { postalCode: b.postalCode } : postal ? { place: postal } : {};
  const claims = { regionCode, ...where, invitationCode: b.invitationCode };
  // The person first: a claim they all share (the postal code) is named once, as theirs.
  const first = await resolvePerson(pool, { ...claims, dateOfBirth: b.dateOfBirth, groups: b.groups });
  const each = await Promise.all([first, ...await Promise.all((b.alsoFor ?? []).map((dob) => resolvePerson(pool, { ...claims, dateOfBirth: dob }, { asDependent: true })))]
    .map((person) => eligibilityOf(pool, person, next)));
  // Everyone who cannot book yet, each with their own reasons.
  const notYet = each.flatMap(({ e, rules }, person) => (e.entitlements.length ? [] : e.reasons.map((r) =>
    ({ person, code: r.code, opensOn: r.opensOn ?? null, messages: reasonMessage(r, namesOf(rules)) }))));
  const blocked = each.filter(({ e }) => e.entitlements.length === 0);
  if (blocked.length && !b.cursor) {
    // Waiting only for an age no vaccine reaches yet is its own reason; the details still say from when.
    const reason = blocked.every(({ e }) => e.reasons[0]?.code === 'too_young') ? 'too_young' : 'not_yet_eligible';
    return { items: [], explanation: { reason, nearest: null, eligibility: notYet } };
  }
  return saidWhy(await searchAvailability(pool, { ...base, entitlements: each[0]!.e.entitlements, alsoForEntitlements: each.slice(1).map(({ e }) => e.entitlements) }));
}

/** When the dose searched for may be given, after the previous dose named in the request; null for a first dose. */
async function dueWindow(pool: pg.Pool, b: SearchRequest): Promise<DoseWindow | null> {
  if (b.dose === 1 || !b.previousDoseDate || !b.previousProduct || !isValidDay(b.previousDoseDate)) return null;
  const prev = (await productCatalogue(pool)).find((p) => p.code === b.previousProduct);
  if (!prev) return null; // refused by name further on
  try {
    return nextDoseWindow(prev, b.dose === 'booster' ? prev.seriesDoses + 1 : b.dose, b.previousDoseDate);
  } catch (err) {
    if (err instanceof RangeError) return null; // a dose the product does not have: the search says so
    throw err;
  }
}
