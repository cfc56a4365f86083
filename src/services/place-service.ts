import type pg from 'pg';
import * as avail from '../db/repositories/availability-repository.js';
import { regionOfPostalArea } from '../db/repositories/rollout-repository.js';
import { distanceKm } from '../domain/geo.js';
import { CANADIAN_PROVINCES, canadianTowns, postalAreas, type Town } from '../seed/gazetteer.js';
import { InputError } from './input-error.js';
import { clinicDirectory } from './reference-cache.js';

/**
 * Places as people type them — a town name or a postal code — turned into
 * coordinates (for search) or a region of residence (for the roll-out).
 */

const POSTAL = /^([A-Za-z]\d[A-Za-z])[\s-]*(\d[A-Za-z]\d)?$/;
/** Beyond this from every clinic, a place is not in the area the jurisdiction serves. */
const SERVED_KM = 150;

export const postalArea = (text: string) => POSTAL.exec(text.trim())?.[1]?.toUpperCase();

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** The spellings people use for the same words of a town's name: "Saint Thomas", "St. Thomas", "St-Thomas". */
const SAME_WORD: Record<string, string> = { saint: 'st', sainte: 'ste', mount: 'mt', fort: 'ft' };
const townKey = (s: string) => fold(s).split(' ').map((w) => SAME_WORD[w] ?? w).join(' ');
/** "Sudbury" for "Greater Sudbury", "Grand Sudbury": tried only when no name matches as typed. */
const withoutPrefix = (key: string) => key.replace(/^(greater|grand) /, '');

let townIndex: { exact: Map<string, Town[]>; loose: Map<string, Town[]> } | undefined;
function towns() {
  if (!townIndex) {
    const exact = new Map<string, Town[]>();
    const loose = new Map<string, Town[]>();
    const add = (m: Map<string, Town[]>, k: string, t: Town) => { const l = m.get(k); if (l) l.push(t); else m.set(k, [t]); };
    for (const t of canadianTowns()) {
      add(exact, townKey(t.name), t);
      add(loose, withoutPrefix(townKey(t.name)), t);
    }
    townIndex = { exact, loose };
  }
  return townIndex;
}

/** Province codes and names a person may add after a town ("Barrie, ON", "Richmond Ontario"). */
const PROVINCE_WORDS = new Map(Object.values(CANADIAN_PROVINCES).flatMap((p) => [[fold(p.code), p.code], [fold(p.name), p.code], [fold(p.nameFr), p.code]] as const));

function unknownPlace(field: string, text: string): InputError {
  return new InputError(field, {
    en: `We do not know the place "${text}". Try a town name (e.g. Barrie) or a postal code (e.g. L4M 3X9).`,
    fr: `Le lieu « ${text} » est inconnu. Essayez un nom de ville (p. ex. Barrie) ou un code postal (p. ex. L4M 3X9).`,
  });
}

/**
 * The town a name means: towns of that name in the province named after it, if any, else everywhere;
 * of several, the one in the area the clinics serve (Richmond, Ontario for an Ontario service, not
 * Richmond, British Columbia), then the most populous.
 */
async function findTown(pool: pg.Pool, text: string): Promise<Town | undefined> {
  let key = townKey(text);
  let province: string | undefined;
  for (const [word, code] of PROVINCE_WORDS) {
    if (key.endsWith(` ${word}`) && key.length > word.length + 1) { province = code; key = key.slice(0, -word.length - 1); break; }
  }
  const { exact, loose } = towns();
  let found = exact.get(key) ?? loose.get(withoutPrefix(key)) ?? [];
  if (province) found = found.filter((t) => t.province === province);
  if (found.length <= 1) return found[0];
  const clinics = await clinicDirectory(pool);
  const served = (t: Town) => clinics.some((c) => distanceKm(t, c) <= SERVED_KM);
  return found.find(served) ?? found[0];
}

/** Coordinates for a town name or a postal code (full, or its first three characters). */
export async function resolvePlace(pool: pg.Pool, place: string, field = 'place'): Promise<{ latitude: number; longitude: number }> {
  const text = place.trim();
  const area = postalArea(text);
  if (area) {
    const known = postalAreas().get(area);
    if (known) return { latitude: known.latitude, longitude: known.longitude };
    // An area newer than the table: where the clinics whose addresses carry it are.
    const centre = await avail.postalAreaCentre(pool, area);
    if (centre) return centre;
  } else {
    const town = await findTown(pool, text);
    if (town) return { latitude: town.latitude, longitude: town.longitude };
  }
  throw unknownPlace(field, text);
}

/** The region of the clinic nearest a point: where someone searching from home most likely lives. */
export async function nearestRegion(pool: pg.Pool, at: { latitude: number; longitude: number }): Promise<{ region: string; km: number } | undefined> {
  let best: { km: number; region: string } | undefined;
  for (const c of await clinicDirectory(pool)) {
    const km = distanceKm(at, c);
    if (!best || km < best.km) best = { km, region: c.region_code };
  }
  return best;
}

/** The region someone lives in, from the postal code or town they typed. */
export async function regionOfPlace(pool: pg.Pool, place: string, field: string): Promise<string> {
  const text = place.trim();
  const area = postalArea(text);
  const byArea = area && (await regionOfPostalArea(pool, area));
  if (byArea) return byArea;
  const near = await nearestRegion(pool, await resolvePlace(pool, text, field));
  if (!near || near.km > SERVED_KM) {
    throw new InputError(field, {
      en: `"${text}" is outside the area this service covers. Choose your region from the list instead.`,
      fr: `« ${text} » est hors de la zone couverte par ce service. Choisissez plutôt votre région dans la liste.`,
    });
  }
  return near.region;
}
