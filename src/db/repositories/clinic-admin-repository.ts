import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface ClinicFields {
  code?: string; name?: string; kind?: string; street?: string; city?: string; postal_code?: string; latitude?: number; longitude?: number;
  phone?: string | null; languages?: string[]; accessibility?: string[]; accessibility_notes?: string | null; time_zone?: string;
}

export async function insertClinic(db: Db, regionId: number, f: Required<Pick<ClinicFields, 'code' | 'name' | 'kind' | 'street' | 'city' | 'postal_code' | 'latitude' | 'longitude' | 'time_zone'>> & ClinicFields): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO clinics (region_id, code, name, kind, street, city, postal_code, latitude, longitude, phone, languages, accessibility, accessibility_notes, time_zone)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [regionId, f.code, f.name, f.kind, f.street, f.city, f.postal_code, f.latitude, f.longitude, f.phone ?? null, f.languages ?? ['en'], f.accessibility ?? [], f.accessibility_notes ?? null, f.time_zone]);
  return r.rows[0]!.id;
}

const EDITABLE = ['name', 'kind', 'street', 'city', 'postal_code', 'latitude', 'longitude', 'phone', 'languages', 'accessibility', 'accessibility_notes'] as const;

/** Changes the given fields only (the code, region and time zone stay: appointments are tied to them). */
export async function updateClinic(db: Db, id: number, f: ClinicFields): Promise<boolean> {
  const set = EDITABLE.filter((k) => f[k] !== undefined);
  if (!set.length) return (await db.query('SELECT 1 FROM clinics WHERE id = $1', [id])).rows.length > 0;
  const r = await db.query(`UPDATE clinics SET ${set.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...set.map((k) => f[k])]);
  return (r.rowCount ?? 0) > 0;
}

/** Closes a clinic unless appointments are still to come there (cancel those days first: people must be moved or told). */
export async function closeClinic(db: Db, id: number): Promise<{ closed: boolean; upcoming: number }> {
  const r = await db.query<{ closed: boolean; upcoming: number }>(
    `WITH up AS (SELECT count(*)::int AS n FROM appointments WHERE clinic_id = $1 AND status IN ('booked', 'checked_in') AND starts_at > now()),
          c AS (UPDATE clinics SET status = 'closed' WHERE id = $1 AND (SELECT n FROM up) = 0 RETURNING id)
     SELECT EXISTS (SELECT 1 FROM c) AS closed, (SELECT n FROM up) AS upcoming`, [id]);
  return r.rows[0]!;
}

export async function regionIdByCode(db: Db, code: string): Promise<number | undefined> {
  return (await db.query<{ id: number }>('SELECT id FROM regions WHERE code = $1', [code])).rows[0]?.id;
}

export async function jurisdictionTimeZone(db: Db): Promise<string | undefined> {
  return (await db.query<{ time_zone: string }>('SELECT time_zone FROM jurisdiction')).rows[0]?.time_zone;
}

export interface RegionView { code: string; name: string; nameFr: string | null; latitude: number; longitude: number }
const REGION_VIEW = `code, name, name_fr AS "nameFr", latitude, longitude`;

export async function insertRegion(db: Db, r: { code: string; name: string; nameFr: string | null; latitude: number; longitude: number }): Promise<RegionView> {
  return (await db.query<RegionView>(`INSERT INTO regions (code, name, name_fr, latitude, longitude) VALUES ($1, $2, $3, $4, $5) RETURNING ${REGION_VIEW}`,
    [r.code, r.name, r.nameFr, r.latitude, r.longitude])).rows[0]!;
}

/** Changes the fields given (null: kept). */
export async function updateRegion(db: Db, code: string, r: { name: string | null; nameFr: string | null; latitude: number | null; longitude: number | null }): Promise<RegionView | undefined> {
  return (await db.query<RegionView>(
    `UPDATE regions SET name = coalesce($2, name), name_fr = coalesce($3, name_fr), latitude = coalesce($4, latitude), longitude = coalesce($5, longitude)
     WHERE code = $1 RETURNING ${REGION_VIEW}`, [code, r.name, r.nameFr, r.latitude, r.longitude])).rows[0];
}
