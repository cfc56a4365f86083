import type pg from 'pg';
import * as refs from '../db/repositories/reference-repository.js';
import { localDate } from '../domain/calendar.js';
import { foreignCursor } from './input-error.js';

/** Public reference data (jurisdiction, regions, clinics, products) in the API's shape. */

export async function jurisdiction(pool: pg.Pool) {
  const j = await refs.getJurisdiction(pool);
  return j && { name: j.name, languages: j.languages, defaultLanguage: j.default_language, timeZone: j.time_zone, identifierScheme: j.identifier_scheme };
}

export async function regions(pool: pg.Pool) {
  return (await refs.listRegions(pool)).map((r) => ({
    code: r.code, name: r.name, nameFr: r.name_fr, officeTown: r.office_town,
    latitude: r.latitude, longitude: r.longitude, population: r.population,
  }));
}

/** A clinic as the API shows it (clinic lists and search answers). */
export function clinicView(c: refs.ClinicRow) {
  return {
    id: c.id, code: c.code, regionCode: c.region_code, name: c.name, kind: c.kind,
    address: { street: c.street, city: c.city, postalCode: c.postal_code },
    latitude: c.latitude, longitude: c.longitude, phone: c.phone, languages: c.languages,
    accessibility: c.accessibility, accessibilityNotes: c.accessibility_notes, timeZone: c.time_zone, status: c.status,
    servesOnly: c.cohorts,
  };
}

/** A page of clinics; `nextCursor` is absent on the last page. */
export async function clinics(pool: pg.Pool, q: { region?: string; kind?: string; cursor?: string; limit: number }) {
  // The cursor is the last id of the page before, as we wrote it: anything else is refused, never read as page 1.
  const afterId = q.cursor === undefined ? 0 : Number(Buffer.from(q.cursor, 'base64url').toString());
  if (q.cursor !== undefined && !(Number.isSafeInteger(afterId) && afterId > 0 && afterId <= 2_147_483_647)) throw foreignCursor();
  const rows = await refs.listClinics(pool, { regionCode: q.region, kind: q.kind, afterId, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const more = rows.length > q.limit;
  return {
    items: page.map(clinicView),
    nextCursor: more ? Buffer.from(String(page[page.length - 1]!.id)).toString('base64url') : undefined,
  };
}

export async function clinicById(pool: pg.Pool, id: number) {
  const c = await refs.getClinic(pool, id);
  return c && clinicView(c);
}

export async function products(pool: pg.Pool) {
  return (await refs.listProducts(pool)).map((p) => ({
    code: p.code, name: p.name, manufacturer: p.manufacturer, cvx: p.cvx,
    minAgeMonths: p.min_age_months, maxAgeMonths: p.max_age_months, dosesPerVial: p.doses_per_vial,
    seriesDoses: p.series_doses,
    intervals: p.intervals.map((i) => ({ afterDose: i.after_dose, minDays: i.min_days, recommendedDays: i.recommended_days, maxDays: i.max_days })),
    booster: p.booster_min_days === null ? null : { minDays: p.booster_min_days, minAgeMonths: p.booster_min_age_months! },
    interchangeableGroup: p.interchangeable_group,
  }));
}

// The jurisdiction's time zone decides what "today" is for every search, and its identifier scheme
// how people are identified; both change at most by configuration.
export interface JurisdictionSettings { name: string; timeZone: string; identifierScheme: string; languages: string[] }
let settings: { at: number; pool: pg.Pool; value: Promise<JurisdictionSettings> } | undefined;
export function jurisdictionSettings(pool: pg.Pool): Promise<JurisdictionSettings> {
  if (!settings || settings.pool !== pool || Date.now() - settings.at > 60_000) {
    const value = refs.getJurisdiction(pool).then((j) => ({
      name: j?.name ?? 'vaxbook', timeZone: j?.time_zone ?? 'America/Toronto', identifierScheme: j?.identifier_scheme ?? 'ontario-health-card',
      languages: j?.languages ?? ['en'],
    }));
    settings = { at: Date.now(), pool, value };
    value.catch(() => { settings = undefined; });
  }
  return settings.value;
}

export async function timeZone(pool: pg.Pool): Promise<string> {
  return (await jurisdictionSettings(pool)).timeZone;
}

/** Today's date in the jurisdiction's time zone: the day ages, dates of birth and search ranges are judged on. */
export async function jurisdictionToday(pool: pg.Pool): Promise<string> {
  return localDate(new Date(), await timeZone(pool));
}
