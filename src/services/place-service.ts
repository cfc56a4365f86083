import type pg from 'pg';
import * as avail from '../db/repositories/availability-repository.js';
import { regionOfPostalArea } from '../db/repositories/rollout-repository.js';
import { distanceKm } from '../domain/geo.js';
import { canadianTowns } from '../seed/gazetteer.js';
import { InputError } from './input-error.js';
import { clinicDirectory } from './reference-cache.js';

/**
 * Places as people type them — a town name or a postal code — turned into
 * coordinates (for search) or a region of residence (for the roll-out).
 */

const POSTAL = /^([A-Za-z]\d[A-Za-z])\s*(\d[A-Za-z]\d)?$/;
/** Beyond this from every clinic, a place is not in the area the jurisdiction serves. */
const SERVED_KM = 150;

export const postalArea = (text: string) => POSTAL.exec(text.trim())?.[1]?.toUpperCase();

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function unknownPlace(field: string, text: string): InputError {
  return new InputError(field, {
    en: `We do not know the place "${text}". Try a town name (e.g. Barrie) or the first three characters of a postal code (e.g. L4M).`,
    fr: `Le lieu « ${text} » est inconnu. Essayez un nom de ville (p. ex. Barrie) ou les trois premiers caractères d'un code postal (p. ex. L4M).`,
  });
}

/** Coordinates for a town name or a postal code (its first three characters). */
export async function resolvePlace(pool: pg.Pool, place: string, field = 'place'): Promise<{ latitude: number; longitude: number }> {
  const text = place.trim();
  const area = postalArea(text);
  if (area) {
    const centre = await avail.postalAreaCentre(pool, area);
    if (centre) return centre;
  } else {
    const wanted = fold(text);
    const town = canadianTowns().find((t) => fold(t.name) === wanted);
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
