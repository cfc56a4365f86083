import seedrandom from 'seedrandom';
import { distanceKm, nearest, offsetKm } from '../domain/geo.js';
import type { Town } from './gazetteer.js';
import { CANADIAN_PROVINCES, postalAreas } from './gazetteer.js';
import { DEMO_PRODUCTS, type ProductSeed } from './catalogue.js';

/**
 * Generates a realistic, repeatable jurisdiction from real towns: regions,
 * clinics placed by population, and each clinic's weekly opening pattern.
 * Pure: the same inputs and seed give the same output.
 */

export type ClinicKind = 'mass_site' | 'pharmacy' | 'hospital' | 'primary_care' | 'mobile';

export interface RegionSeed {
  code: string; name: string; nameFr: string; officeTown: string;
  latitude: number; longitude: number; population: number;
}

export interface ClinicSeed {
  code: string; regionCode: string; name: string; kind: ClinicKind;
  street: string; city: string; postalCode: string; latitude: number; longitude: number;
  phone: string; languages: string[]; accessibility: string[]; accessibilityNotes: string | null; timeZone: string;
}

/** One recurring shift: on this ISO weekday (1 = Monday), local clock times. */
export interface ShiftSeed {
  clinicCode: string; isoWeekday: number; start: string; end: string;
  productCode: string; stations: number; minutes: number;
}

export interface JurisdictionSeed {
  name: string; languages: string[]; defaultLanguage: string; timeZone: string; identifierScheme: 'ontario-health-card';
}

export interface ProvinceSeed {
  jurisdiction: JurisdictionSeed;
  regions: RegionSeed[];
  products: ProductSeed[];
  clinics: ClinicSeed[];
  shifts: ShiftSeed[];
}

export interface HealthUnit { code: string; name: string; office: string; population: number; softLaunch?: boolean }

export interface GenerateOptions {
  seed: number;
  /** Ontario's public-health units (the fixture in shared/). */
  healthUnits: HealthUnit[];
  towns: Town[];
  /** 'demo': Ontario, ~300 clinics. 'national': all of Canada, ~3,000 sites. */
  scale: 'demo' | 'national';
  clinicCount?: number;
}

// Offices whose town the gazetteer lists under another name, or not at all (then its neighbour).
const OFFICE_ALIASES: Record<string, string> = {
  Sudbury: 'Greater Sudbury',
  'New Liskeard': 'Temiskaming Shores',
  'Point Edward': 'Sarnia',
  Whitby: 'Oshawa',
};

const FRENCH_SPEAKING_UNITS = new Set(['EOH', 'OTT', 'SUD', 'TSK', 'PQP', 'NPS']);
const STREETS = ['King Street', 'Queen Street', 'Main Street', 'Dundas Street', 'Yonge Street', 'Church Street',
  'Victoria Street', 'Wellington Street', 'Albert Street', 'Princess Street', 'Elgin Street', 'Ontario Street',
  'Water Street', 'Front Street', 'Bay Street', 'John Street', 'Park Avenue', 'Lakeshore Road', 'Highway 7', 'College Street'];
const MASS_SITE_VENUES = ['Community Centre', 'Arena', 'Convention Centre', 'Sports Complex', 'Exhibition Place', 'Recreation Centre'];
const FEATURES = ['wheelchair', 'accessible_parking', 'hearing_loop', 'quiet_room', 'sign_language'] as const;

export function generateProvince(opts: GenerateOptions): ProvinceSeed {
  const rng = seedrandom(String(opts.seed));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

  const ontario = opts.towns.filter((t) => t.province === 'ON');
  const units = opts.healthUnits.map((u) => {
    const townName = OFFICE_ALIASES[u.office] ?? u.office;
    const town = ontario.find((t) => t.name === townName);
    if (!town) throw new Error(`No gazetteer town for the office of ${u.code} (${u.office})`);
    return { ...u, latitude: town.latitude, longitude: town.longitude };
  });
  const regions: RegionSeed[] = units.map((u) => ({
    code: u.code, name: u.name, nameFr: u.name, officeTown: u.office,
    latitude: u.latitude, longitude: u.longitude, population: u.population,
  }));

  let towns = ontario;
  if (opts.scale === 'national') {
    towns = opts.towns;
    for (const p of Object.values(CANADIAN_PROVINCES)) {
      if (p.code === 'ON') continue;
      const members = opts.towns.filter((t) => t.province === p.code);
      if (members.length === 0) continue;
      const capital = members[0]!;
      regions.push({
        code: p.code, name: p.name, nameFr: p.nameFr, officeTown: capital.name,
        latitude: capital.latitude, longitude: capital.longitude,
        population: members.reduce((s, t) => s + t.population, 0),
      });
    }
  }
  const regionOf = (t: Town): string => (t.province === 'ON' ? nearest(t, units).code : t.province);
  // Ontario west of 90° W (Kenora, Dryden, Fort Frances) keeps Central time, but for Atikokan (Eastern, no summer time).
  const timeZoneOf = (t: Town): string => (t.province === 'ON' && t.longitude < -90 ? (t.name === 'Atikokan' ? 'America/Atikokan' : 'America/Winnipeg')
    : Object.values(CANADIAN_PROVINCES).find((p) => p.code === t.province)?.timeZone ?? 'America/Toronto');

  // Clinics per town in proportion to population (largest remainder), at least one per region.
  const total = opts.clinicCount ?? (opts.scale === 'demo' ? 300 : 3000);
  const perTown = allocate(towns.map((t) => t.population), total);
  for (const r of regions) {
    if (towns.some((t, i) => perTown[i]! > 0 && regionOf(t) === r.code)) continue;
    const i = towns.findIndex((t) => regionOf(t) === r.code);
    if (i >= 0) perTown[i] = 1;
  }

  const clinics: ClinicSeed[] = [];
  const shifts: ShiftSeed[] = [];
  towns.forEach((town, ti) => {
    const n = perTown[ti]!;
    const regionCode = regionOf(town);
    // Larger towns spread over a larger area.
    const spreadKm = Math.max(0.5, Math.sqrt(town.population) / 150);
    const peoplePerMassSite = opts.scale === 'national' ? 80_000 : 250_000;
    const massSites = town.population >= 50_000 ? Math.max(1, Math.round(town.population / peoplePerMassSite)) : 0;
    for (let k = 0; k < n; k++) {
      const kind: ClinicKind = k < massSites ? 'mass_site'
        : k === massSites && town.population >= 20_000 ? 'hospital'
        : weighted(rng, [['pharmacy', 0.62], ['primary_care', 0.2], ['mobile', 0.12], ['hospital', 0.06]]);
      const at = k === 0 && n === 1 ? town : offsetKm(town, rng() * spreadKm, rng() * 360);
      const code = `${regionCode}-${String(clinics.length + 1).padStart(4, '0')}`;
      const street = pick(STREETS);
      const languages = FRENCH_SPEAKING_UNITS.has(regionCode) || town.province === 'QC' || town.province === 'NB'
        ? (rng() < 0.7 ? ['en', 'fr'] : ['en']) : (rng() < 0.08 ? ['en', 'fr'] : ['en']);
      const accessibility = FEATURES.filter((f) =>
        rng() < (f === 'wheelchair' ? (kind === 'mass_site' || kind === 'hospital' ? 1 : 0.75) : f === 'accessible_parking' ? 0.6 : 0.2));
      clinics.push({
        code, regionCode, kind,
        name: clinicName(kind, town.name, street, k, pick),
        street: `${between(1, 2400)} ${street}`,
        city: town.name,
        postalCode: postalCode(at, town.province, rng),
        latitude: round5(at.latitude),
        longitude: round5(at.longitude),
        phone: `+1-${pick(['416', '647', '905', '613', '519', '705', '807', '289'])}-555-${String(between(100, 9999)).padStart(4, '0')}`,
        languages,
        accessibility,
        accessibilityNotes: accessibility.includes('wheelchair') ? 'Step-free entrance; wheelchairs available at the door.' : null,
        timeZone: timeZoneOf(town),
      });
      shifts.push(...weeklyPattern(code, kind, rng, opts.scale));
    }
  });

  return {
    jurisdiction: { name: 'Ontario (demo)', languages: ['en', 'fr'], defaultLanguage: 'en', timeZone: 'America/Toronto', identifierScheme: 'ontario-health-card' },
    regions,
    products: DEMO_PRODUCTS,
    clinics,
    shifts,
  };
}

function weeklyPattern(code: string, kind: ClinicKind, rng: () => number, scale: 'demo' | 'national'): ShiftSeed[] {
  const out: ShiftSeed[] = [];
  const add = (days: number[], start: string, end: string, productCode: string, stations: number, minutes: number) => {
    for (const d of days) out.push({ clinicCode: code, isoWeekday: d, start, end, productCode, stations, minutes });
  };
  const adultProduct = rng() < 0.6 ? 'pfizer-comirnaty' : 'moderna-spikevax';
  const everyDay = [1, 2, 3, 4, 5, 6, 7];
  const weekdays = [1, 2, 3, 4, 5];
  switch (kind) {
    case 'mass_site': {
      // Two shifts a day; weekend afternoons are for children.
      const stations = 6 + Math.floor(rng() * 7);
      add(everyDay, '08:00', '14:00', 'pfizer-comirnaty', stations, 5);
      add(weekdays, '14:00', '20:00', adultProduct, stations, 5);
      add([6, 7], '14:00', '20:00', 'pfizer-pediatric', Math.ceil(stations / 2), 5);
      break;
    }
    // The national data set models the 2021 peak, when pharmacies and hospitals ran long days all week.
    case 'pharmacy':
      if (scale === 'national') {
        add(everyDay, '08:00', '22:00', adultProduct, rng() < 0.3 ? 2 : 1, 6);
      } else {
        add(weekdays, '09:00', '18:00', adultProduct, rng() < 0.3 ? 2 : 1, 10);
        add([6], '10:00', '16:00', adultProduct, 1, 10);
      }
      break;
    case 'hospital':
      add(scale === 'national' ? everyDay : weekdays, '08:00', scale === 'national' ? '20:00' : '16:00', 'pfizer-comirnaty', 2 + Math.floor(rng() * 3), 10);
      add([3], scale === 'national' ? '20:00' : '16:00', scale === 'national' ? '22:00' : '19:00', 'pfizer-pediatric', 2, 15);
      break;
    case 'primary_care':
      add([2, 4], '13:00', '17:00', 'pfizer-pediatric', 1, 15);
      add([3], '09:00', '12:00', 'moderna-pediatric', 1, 15);
      add([1, 5], '09:00', scale === 'national' ? '20:00' : '16:00', adultProduct, 1, 15);
      break;
    case 'mobile': {
      const first = 1 + Math.floor(rng() * 5);
      const second = ((first + 1) % 5) + 1;
      add([first], '10:00', '16:00', 'janssen', 2, 10);
      add([second], '10:00', '16:00', adultProduct, 2, 10);
      break;
    }
  }
  return out;
}

function clinicName(kind: ClinicKind, town: string, street: string, k: number, pick: <T>(xs: readonly T[]) => T): string {
  switch (kind) {
    case 'mass_site': return `${town} ${pick(MASS_SITE_VENUES)} Vaccination Centre${k > 0 ? ` ${k + 1}` : ''}`;
    case 'hospital': return k <= 1 ? `${town} General Hospital` : `${town} Health Sciences Centre ${k}`;
    case 'pharmacy': return `${street.replace(/ (Street|Avenue|Road)$/, '')} Pharmacy (${town})`;
    case 'primary_care': return `${town} Family Health Team${k > 3 ? ` – site ${k}` : ''}`;
    case 'mobile': return `Mobile Clinic – ${town}${k > 3 ? ` ${k}` : ''}`;
  }
}

/** Canada Post's first letters by province (Ontario: K east, L central, M Toronto, N southwest, P north). */
const POSTAL_LETTERS: Record<string, string> = { ON: 'KLMNP', QC: 'GHJ', BC: 'V', AB: 'T', MB: 'R', SK: 'S', NS: 'B', NB: 'E', NL: 'A', PE: 'C', YT: 'Y', NT: 'X', NU: 'X' };

/**
 * A postal code that a search for it finds: the real forward sortation area nearest the clinic, in its
 * province, with an invented last half. Draws from `rng` as many numbers as it always has, so the rest of
 * a seeded province stays the same.
 */
function postalCode(at: { latitude: number; longitude: number }, province: string, rng: () => number): string {
  const L = 'ABCEGHJKLMNPRSTVWXYZ';
  const ch = () => L[Math.floor(rng() * L.length)]!;
  const dg = () => String(Math.floor(rng() * 10));
  dg(); ch(); // the draws that once made up the first half
  const ldu = `${dg()}${ch()}${dg()}`;
  const letters = POSTAL_LETTERS[province] ?? 'KLMNP';
  let best: { code: string; km: number } | undefined;
  for (const a of postalAreas().values()) {
    if (!letters.includes(a.code[0]!)) continue;
    const km = distanceKm(at, a);
    if (!best || km < best.km) best = { code: a.code, km };
  }
  return `${best?.code ?? 'K1A'} ${ldu}`;
}

/** Splits `total` in proportion to `weights` (largest remainder), so the parts sum to `total`. */
export function allocate(weights: number[], total: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i]! += 1;
  }
  return parts;
}

function weighted<T>(rng: () => number, choices: Array<[T, number]>): T {
  let r = rng() * choices.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of choices) {
    if ((r -= w) < 0) return v;
  }
  return choices[choices.length - 1]![0];
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
