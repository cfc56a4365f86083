import type pg from 'pg';
import * as avail from '../db/repositories/availability-repository.js';
import { addDays } from '../domain/calendar.js';
import { InputError } from './input-error.js';
import { canadianTowns } from '../seed/gazetteer.js';
import {
  explainEmpty, needsPairing, pairingHorizon, pairNextDose, productAllowed,
  type DayRow, type Dose2Suggestion, type EmptyReason, type PreviousDose, type Product,
} from '../domain/availability.js';

export interface SearchInput {
  latitude: number; longitude: number; radiusKm: number;
  from: string; to: string;
  dateOfBirth: string;
  dose: number;
  previous?: { day: string; productCode: string };
  productCode?: string; kind?: string; accessibility: string[]; language?: string;
  cursor?: string; limit: number;
}

export interface OfferedDay {
  day: string; clinicDayId: number; product: { code: string; name: string }; freeCapacity: number;
  firstTimes: Array<{ slotId: number; startsAt: string; free: number }>;
  nextDose: (Dose2Suggestion & { clinicName: string; distanceKm: number; productCode: string }) | null;
}

export interface ClinicOffer { clinic: avail.CandidateClinic; days: OfferedDay[] }

export interface SearchResult {
  items: ClinicOffer[];
  nextCursor?: string;
  explanation?: { reason: EmptyReason; nearest: { clinic: avail.CandidateClinic; day: string; product: string } | null };
}


const FIRST_TIMES = 3;

// The catalogue changes rarely (an administrator's edit); re-read it at most every 30 s.
let catalogue: { at: number; pool: pg.Pool; products: Promise<Product[]> } | undefined;
function productCatalogue(pool: pg.Pool): Promise<Product[]> {
  if (!catalogue || catalogue.pool !== pool || Date.now() - catalogue.at > 30_000) {
    catalogue = { at: Date.now(), pool, products: avail.products(pool) };
    catalogue.products.catch(() => { catalogue = undefined; });
  }
  return catalogue.products;
}

function encodeCursor(c: avail.CandidateClinic): string {
  return Buffer.from(JSON.stringify([c.distance_km, c.id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  } catch { /* fall through */ }
  throw new InputError('cursor', { en: 'The cursor is not one this service gave out: start again without it.', fr: "Ce curseur n'a pas été fourni par ce service : recommencez sans lui." });
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
  const allowed = (r: DayRow) => {
    const p = products.get(r.productId);
    return !!p && wanted.includes(p) && productAllowed(p, input.dateOfBirth, r.day, input.dose, previous);
  };

  let candidates = await avail.candidateClinics(pool, input);
  const distance = new Map(candidates.map((c) => [c.id, c.distance_km]));
  if (input.cursor) {
    const [d, id] = decodeCursor(input.cursor);
    candidates = candidates.filter((c) => c.distance_km > d || (c.distance_km === d && c.id > id));
  }

  const pairedProducts = wanted.filter((p) => needsPairing(p, input.dose));
  const horizon = pairedProducts.length ? pairingHorizon(pairedProducts, input.dose, input.from, input.to) : null;
  // Rows of every clinic in the radius for dose-2 fallback, fetched once and only when needed.
  let radiusRows: Array<DayRow & { distanceKm: number }> | undefined;
  const withDistance = (rows: DayRow[]) => rows.map((r) => ({ ...r, distanceKm: distance.get(r.clinicId) ?? Infinity }));
  const allRadiusRows = async () => {
    radiusRows ??= withDistance(await avail.dayRows(pool, [...distance.keys()], horizon!.from, horizon!.to, true));
    return radiusRows;
  };

  const page: ClinicOffer[] = [];
  let consumed = 0;
  const batchSize = Math.max(20, input.limit * 2);
  while (page.length < input.limit && consumed < candidates.length) {
    const batch = candidates.slice(consumed, consumed + batchSize);
    const ids = batch.map((c) => c.id);
    const rows = (await avail.dayRows(pool, ids, input.from, input.to, true)).filter(allowed);
    const sameClinicRows = horizon && rows.length
      ? withDistance(await avail.dayRows(pool, ids, horizon.from, horizon.to, true)) : [];
    for (const clinic of batch) {
      consumed++;
      const days: OfferedDay[] = [];
      for (const r of rows.filter((x) => x.clinicId === clinic.id).sort((a, b) => a.day.localeCompare(b.day) || a.productId - b.productId)) {
        const product = products.get(r.productId)!;
        let nextDose: Dose2Suggestion | null = null;
        if (needsPairing(product, input.dose)) {
          nextDose = pairNextDose(input.dateOfBirth, input.dose, clinic.id, r.day, product, sameClinicRows.filter((x) => x.clinicId === clinic.id), products)
            ?? pairNextDose(input.dateOfBirth, input.dose, clinic.id, r.day, product, await allRadiusRows(), products);
          if (!nextDose) continue;
        }
        const other = nextDose && candidates.find((c) => c.id === nextDose!.clinicId);
        days.push({
          day: r.day, clinicDayId: r.clinicDayId, product: { code: product.code, name: product.name }, freeCapacity: r.free, firstTimes: [],
          nextDose: nextDose && {
            ...nextDose,
            clinicName: nextDose.sameClinic ? clinic.name : other?.name ?? '',
            distanceKm: round1(distance.get(nextDose.clinicId) ?? 0),
            productCode: products.get(nextDose.productId)!.code,
          },
        });
      }
      if (days.length) page.push({ clinic, days });
      if (page.length === input.limit) break;
    }
  }

  const times = await avail.firstFreeTimes(pool, page.flatMap((c) => c.days.map((d) => ({ clinicDayId: d.clinicDayId, productId: byCode.get(d.product.code)!.id }))), FIRST_TIMES);
  for (const c of page) {
    for (const d of c.days) {
      const pid = byCode.get(d.product.code)!.id;
      d.firstTimes = times.filter((t) => t.clinic_day_id === d.clinicDayId && t.product_id === pid)
        .map((t) => ({ slotId: t.slot_id, startsAt: t.starts_at.toISOString(), free: t.free }));
    }
  }

  const result: SearchResult = { items: page };
  if (page.length === input.limit && consumed < candidates.length) result.nextCursor = encodeCursor(page[page.length - 1]!.clinic);
  if (page.length === 0 && !input.cursor && explain) result.explanation = await explainNothing(pool, input, candidates, allowed);
  return result;
}

async function explainNothing(pool: pg.Pool, input: SearchInput, candidates: avail.CandidateClinic[], allowed: (r: DayRow) => boolean): Promise<NonNullable<SearchResult['explanation']>> {
  const rows = await avail.dayRows(pool, candidates.map((c) => c.id), input.from, input.to, false);
  const reason = explainEmpty(candidates.length, rows, allowed);
  // The nearest availability with the filters relaxed: a wider radius and range, any kind of clinic.
  const relaxed = await searchAvailability(pool, {
    ...input, radiusKm: Math.max(input.radiusKm, 500), to: addDays(input.from, 89), kind: undefined, accessibility: [],
    language: undefined, cursor: undefined, limit: 1,
  }, false);
  const first = relaxed.items[0];
  const day = first?.days[0];
  return { reason, nearest: first && day ? { clinic: first.clinic, day: day.day, product: day.product.name } : null };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Free times of one clinic-day, for choosing a time after choosing a day. */
export async function daySlots(pool: pg.Pool, clinicId: number, day: string, productCode?: string) {
  const products = await productCatalogue(pool);
  const product = productCode ? products.find((p) => p.code === productCode) : undefined;
  if (productCode && !product) {
    throw new InputError('product', { en: `There is no product "${productCode}".`, fr: `Le produit « ${productCode} » n'existe pas.` });
  }
  const slots = await avail.daySlots(pool, clinicId, day, product?.id ?? null);
  return slots.map((s) => ({
    slotId: s.slot_id, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), free: s.free,
    product: products.find((p) => p.id === s.product_id)!.code,
  }));
}

/** Coordinates for a town name or a postal code (its first three characters). */
export async function resolvePlace(pool: pg.Pool, place: string): Promise<{ latitude: number; longitude: number }> {
  const text = place.trim();
  const postal = /^([A-Za-z]\d[A-Za-z])\s*(\d[A-Za-z]\d)?$/.exec(text);
  if (postal) {
    const centre = await avail.postalAreaCentre(pool, postal[1]!.toUpperCase());
    if (centre) return centre;
  } else {
    const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    const wantedName = fold(text);
    const town = canadianTowns().find((t) => fold(t.name) === wantedName);
    if (town) return { latitude: town.latitude, longitude: town.longitude };
  }
  throw new InputError('place', {
    en: `We do not know the place "${text}". Try a town name (e.g. Barrie) or the first three characters of a postal code (e.g. L4M).`,
    fr: `Le lieu « ${text} » est inconnu. Essayez un nom de ville (p. ex. Barrie) ou les trois premiers caractères d'un code postal (p. ex. L4M).`,
  });
}
