import type pg from 'pg';

export interface RegionRow { id: number; code: string; name: string; name_fr: string | null; office_town: string | null; latitude: number; longitude: number; population: number | null }
export interface ClinicRow {
  id: number; code: string; region_id: number; region_code: string; name: string; kind: string; street: string; city: string;
  postal_code: string; latitude: number; longitude: number; phone: string | null; languages: string[];
  accessibility: string[]; accessibility_notes: string | null; time_zone: string; status: string;
  /** null: serves everyone; else only these roll-out cohorts. */
  cohorts: string[] | null;
}
export interface ProductRow {
  id: number; code: string; name: string; manufacturer: string; cvx: string; min_age_months: number;
  max_age_months: number | null; doses_per_vial: number; series_doses: number; booster_min_days: number | null;
  booster_min_age_months: number | null; interchangeable_group: string | null;
  intervals: Array<{ after_dose: number; min_days: number; recommended_days: number; max_days: number | null }>;
}
export interface JurisdictionRow { name: string; languages: string[]; default_language: string; time_zone: string; identifier_scheme: string }

type Db = pg.Pool | pg.PoolClient;

export async function getJurisdiction(db: Db): Promise<JurisdictionRow | undefined> {
  const r = await db.query<JurisdictionRow>('SELECT name, languages, default_language, time_zone, identifier_scheme FROM jurisdiction');
  return r.rows[0];
}

export async function listRegions(db: Db): Promise<RegionRow[]> {
  const r = await db.query<RegionRow>('SELECT id, code, name, name_fr, office_town, latitude, longitude, population FROM regions ORDER BY code');
  return r.rows;
}

const CLINIC_COLUMNS = `c.id, c.code, c.region_id, r.code AS region_code, c.name, c.kind, c.street, c.city, c.postal_code, c.latitude,
  c.longitude, c.phone, c.languages, c.accessibility, c.accessibility_notes, c.time_zone, c.status, c.cohorts`;

export interface ClinicFilter { regionCode?: string; kind?: string; afterId: number; limit: number }

/** Every open clinic: a few thousand rows, which search keeps in memory and filters by distance itself. */
export async function openClinics(db: Db): Promise<ClinicRow[]> {
  const r = await db.query<ClinicRow>(`SELECT ${CLINIC_COLUMNS} FROM clinics c JOIN regions r ON r.id = c.region_id WHERE c.status = 'open' ORDER BY c.id`);
  return r.rows;
}

/** Keyset pagination by id: stable under concurrent inserts, and never skips a row. */
export async function listClinics(db: Db, f: ClinicFilter): Promise<ClinicRow[]> {
  const r = await db.query<ClinicRow>(
    `SELECT ${CLINIC_COLUMNS} FROM clinics c JOIN regions r ON r.id = c.region_id
     WHERE c.id > $1 AND ($2::text IS NULL OR r.code = $2) AND ($3::text IS NULL OR c.kind = $3)
     ORDER BY c.id LIMIT $4`,
    [f.afterId, f.regionCode ?? null, f.kind ?? null, f.limit]);
  return r.rows;
}

export async function getClinic(db: Db, id: number): Promise<ClinicRow | undefined> {
  const r = await db.query<ClinicRow>(`SELECT ${CLINIC_COLUMNS} FROM clinics c JOIN regions r ON r.id = c.region_id WHERE c.id = $1`, [id]);
  return r.rows[0];
}

export async function listProducts(db: Db): Promise<ProductRow[]> {
  const r = await db.query<ProductRow>(
    `SELECT p.id, p.code, p.name, p.manufacturer, p.cvx, p.min_age_months, p.max_age_months, p.doses_per_vial,
            p.series_doses, p.booster_min_days, p.booster_min_age_months, p.interchangeable_group,
            COALESCE((SELECT json_agg(json_build_object('after_dose', i.after_dose, 'min_days', i.min_days,
                        'recommended_days', i.recommended_days, 'max_days', i.max_days) ORDER BY i.after_dose)
                      FROM product_intervals i WHERE i.product_id = p.id), '[]') AS intervals
     FROM products p ORDER BY p.id`);
  return r.rows;
}
