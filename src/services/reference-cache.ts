import type pg from 'pg';
import * as avail from '../db/repositories/availability-repository.js';
import { openClinics } from '../db/repositories/reference-repository.js';
import { regionCodes, restrictedSessions } from '../db/repositories/rollout-repository.js';

/**
 * Reference data every search and booking needs — the product catalogue and
 * the clinic directory — kept in memory and re-read at most every 30 s. A
 * change made through this instance calls forgetCachedReferenceData; other
 * instances see it within the 30 s.
 */
const caches: Array<WeakMap<pg.Pool, unknown>> = [];

function cached<T>(load: (pool: pg.Pool) => Promise<T>): (pool: pg.Pool) => Promise<T> {
  const entries = new WeakMap<pg.Pool, { at: number; value: Promise<T> }>();
  caches.push(entries);
  return (pool) => {
    const hit = entries.get(pool);
    if (hit && Date.now() - hit.at <= 30_000) return hit.value;
    const value = load(pool);
    entries.set(pool, { at: Date.now(), value });
    value.catch(() => entries.delete(pool));
    return value;
  };
}

export const productCatalogue = cached(avail.products);
export const clinicDirectory = cached(openClinics);
const clinicIndex = cached(async (pool) => new Map((await clinicDirectory(pool)).map((c) => [c.id, c])));
const productIndex = cached(async (pool) => new Map((await productCatalogue(pool)).map((p) => [p.id, p])));

/** Sessions that serve only some cohorts, by id. */
export const restrictedSessionsById = cached(async (pool) => new Map((await restrictedSessions(pool)).map((s) => [s.id, s])));
export const regionCodeSet = cached(async (pool) => new Set(await regionCodes(pool)));
export const clinicsById = (pool: pg.Pool) => clinicIndex(pool);
export const productsById = (pool: pg.Pool) => productIndex(pool);

/** After clinics or products change: the next search or booking reads them afresh. */
export function forgetCachedReferenceData(pool: pg.Pool): void {
  for (const c of caches) c.delete(pool);
}
