import type pg from 'pg';
import * as repo from '../db/repositories/clinic-admin-repository.js';
import { InputError } from './input-error.js';
import { forgetCachedReferenceData } from './reference-cache.js';

/** Clinics as administrators and region managers keep them: created, corrected, closed. */

export interface ClinicInput {
  regionCode?: string; code?: string; name?: string; kind?: string; street?: string; city?: string; postalCode?: string;
  latitude?: number; longitude?: number; phone?: string | null; languages?: string[]; accessibility?: string[]; accessibilityNotes?: string | null; timeZone?: string;
}

const fields = (c: ClinicInput): repo.ClinicFields => ({
  code: c.code, name: c.name, kind: c.kind, street: c.street, city: c.city, postal_code: c.postalCode, latitude: c.latitude, longitude: c.longitude,
  phone: c.phone, languages: c.languages, accessibility: c.accessibility, accessibility_notes: c.accessibilityNotes, time_zone: c.timeZone,
});

function validZone(zone: string): boolean {
  try { new Intl.DateTimeFormat('en', { timeZone: zone }); return true; } catch { return false; }
}

export async function regionIdOf(pool: pg.Pool, code: string, field = 'regionCode'): Promise<number> {
  const id = await repo.regionIdByCode(pool, code);
  if (id === undefined) throw new InputError(field, { en: `There is no region "${code}".`, fr: `La région « ${code} » n'existe pas.` });
  return id;
}

export async function createClinic(pool: pg.Pool, regionId: number, c: ClinicInput): Promise<number> {
  for (const k of ['code', 'name', 'kind', 'street', 'city', 'postalCode'] as const) {
    if (!c[k]?.trim()) throw new InputError(k, { en: `Give the clinic's ${k}.`, fr: `Indiquez le champ ${k} de la clinique.` });
  }
  const timeZone = c.timeZone ?? (await repo.jurisdictionTimeZone(pool)) ?? 'America/Toronto';
  if (!validZone(timeZone)) throw new InputError('timeZone', { en: 'The time zone must be an IANA name such as America/Toronto.', fr: 'Le fuseau horaire doit être un nom IANA comme America/Toronto.' });
  try {
    const id = await repo.insertClinic(pool, regionId, { ...fields(c), code: c.code!.trim(), name: c.name!.trim(), kind: c.kind!, street: c.street!, city: c.city!,
      postal_code: c.postalCode!, latitude: c.latitude!, longitude: c.longitude!, time_zone: timeZone });
    forgetCachedReferenceData(pool);
    return id;
  } catch (err) {
    throw constraintError(err);
  }
}

export async function updateClinic(pool: pg.Pool, id: number, c: ClinicInput): Promise<boolean> {
  try {
    const ok = await repo.updateClinic(pool, id, fields(c));
    forgetCachedReferenceData(pool);
    return ok;
  } catch (err) {
    throw constraintError(err);
  }
}

export async function closeClinic(pool: pg.Pool, id: number) {
  const r = await repo.closeClinic(pool, id);
  if (r.closed) forgetCachedReferenceData(pool);
  return r;
}

/** The database's CHECKs, named as the fields people typed. */
function constraintError(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505') return new InputError('code', { en: 'Another clinic already has this code.', fr: 'Une autre clinique porte déjà ce code.' });
  if (e.code === '23514') {
    const field = e.constraint?.includes('kind') ? 'kind' : e.constraint?.includes('latitude') ? 'latitude' : e.constraint?.includes('longitude') ? 'longitude' : e.constraint?.includes('languages') ? 'languages' : e.constraint?.includes('accessibility') ? 'accessibility' : 'name';
    return new InputError(field, { en: `The value of ${field} is not allowed.`, fr: `La valeur de ${field} n'est pas permise.` });
  }
  return err;
}

export interface RegionInput { code?: string; name?: string; nameFr?: string; latitude?: number; longitude?: number }

export async function createRegion(pool: pg.Pool, r: RegionInput & { code: string; name: string; latitude: number; longitude: number }): Promise<repo.RegionView> {
  try {
    const row = await repo.insertRegion(pool, { code: r.code, name: r.name.trim(), nameFr: r.nameFr?.trim() ?? null, latitude: r.latitude, longitude: r.longitude });
    forgetCachedReferenceData(pool);
    return row;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new InputError('code', { en: 'Another region already has this code.', fr: 'Une autre région porte déjà ce code.' });
    throw err;
  }
}

export async function updateRegion(pool: pg.Pool, code: string, r: RegionInput): Promise<repo.RegionView | undefined> {
  const row = await repo.updateRegion(pool, code, { name: r.name?.trim() ?? null, nameFr: r.nameFr?.trim() ?? null, latitude: r.latitude ?? null, longitude: r.longitude ?? null });
  forgetCachedReferenceData(pool);
  return row;
}
