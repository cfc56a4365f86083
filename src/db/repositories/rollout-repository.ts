import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface RolloutVersionRow { version: number; document: unknown; created_at: Date; created_by: string; note: string | null }

export async function currentRollout(db: Db): Promise<RolloutVersionRow | undefined> {
  const r = await db.query<RolloutVersionRow>('SELECT version, document, created_at, created_by, note FROM rollout_versions ORDER BY version DESC LIMIT 1');
  return r.rows[0];
}

export async function rolloutVersions(db: Db): Promise<Array<Omit<RolloutVersionRow, 'document'>>> {
  const r = await db.query<Omit<RolloutVersionRow, 'document'>>('SELECT version, created_at, created_by, note FROM rollout_versions ORDER BY version DESC');
  return r.rows;
}

export async function rolloutVersion(db: Db, version: number): Promise<RolloutVersionRow | undefined> {
  const r = await db.query<RolloutVersionRow>('SELECT version, document, created_at, created_by, note FROM rollout_versions WHERE version = $1', [version]);
  return r.rows[0];
}

/**
 * Stores a new version after `expected` (the version the editor started from).
 * Returns null when someone else stored one in between: the primary key on
 * version makes two concurrent editors collide instead of one silently winning.
 */
export async function insertRolloutVersion(db: Db, expected: number, document: unknown, by: string, note: string | null): Promise<number | null> {
  const r = await db.query<{ version: number }>(
    `INSERT INTO rollout_versions (version, document, created_by, note)
     SELECT $1 + 1, $2::jsonb, $3, $4 WHERE coalesce((SELECT max(version) FROM rollout_versions), 0) = $1
     ON CONFLICT (version) DO NOTHING RETURNING version`, [expected, JSON.stringify(document), by, note]);
  return r.rows[0]?.version ?? null;
}

/** Region codes, for checking a document's references. */
export async function regionCodes(db: Db): Promise<string[]> {
  return (await db.query<{ code: string }>('SELECT code FROM regions')).rows.map((r) => r.code);
}

/** The region most clinics of a postal area (first three characters) belong to. */
export async function regionOfPostalArea(db: Db, area: string): Promise<string | undefined> {
  const r = await db.query<{ code: string }>(
    `SELECT r.code FROM clinics c JOIN regions r ON r.id = c.region_id WHERE upper(left(c.postal_code, 3)) = $1
     GROUP BY r.code ORDER BY count(*) DESC, r.code LIMIT 1`, [area]);
  return r.rows[0]?.code;
}

export interface PastDoseRow { day: string; product_id: number; dose_number: number; booked: boolean }

/**
 * A person's doses, by identity: recorded and declared ones, then booked ones not yet given (calendar days in the
 * jurisdiction's and the clinic's time zone). `booked` marks the latter: a dose booked here is the one the next
 * dose follows, whatever the person declares.
 */
export async function doseHistory(db: Db, scheme: string, identifier: string, dateOfBirth: string): Promise<PastDoseRow[]> {
  const r = await db.query<PastDoseRow>(
    `SELECT (d.administered_at AT TIME ZONE coalesce(j.time_zone, 'America/Toronto'))::date::text AS day, d.product_id, d.dose_number, false AS booked
     FROM persons p JOIN dose_records d ON d.person_id = p.id LEFT JOIN jurisdiction j ON true
     WHERE p.identifier_scheme = $1 AND p.identifier = $2 AND p.date_of_birth = $3::date
     UNION ALL
     SELECT (a.starts_at AT TIME ZONE c.time_zone)::date::text, a.product_id, a.dose_number, true
     FROM persons p JOIN appointments a ON a.person_id = p.id AND a.status IN ('booked', 'checked_in') JOIN clinics c ON c.id = a.clinic_id
     WHERE p.identifier_scheme = $1 AND p.identifier = $2 AND p.date_of_birth = $3::date
       AND NOT EXISTS (SELECT 1 FROM dose_records d WHERE d.person_id = p.id AND d.dose_number = a.dose_number)
     ORDER BY dose_number`,
    [scheme, identifier, dateOfBirth]);
  return r.rows;
}

/** Clinics' cohort restrictions (only restricted clinics are listed). */
export async function clinicCohorts(db: Db): Promise<Map<number, string[]>> {
  const r = await db.query<{ id: number; cohorts: string[] }>('SELECT id, cohorts FROM clinics WHERE cohorts IS NOT NULL');
  return new Map(r.rows.map((x) => [x.id, x.cohorts]));
}

export async function setClinicCohorts(db: Db, clinicId: number, cohorts: string[] | null): Promise<boolean> {
  const r = await db.query('UPDATE clinics SET cohorts = $2 WHERE id = $1', [clinicId, cohorts]);
  return r.rowCount === 1;
}

export interface RestrictedSessionRow { id: number; clinic_id: number; clinic_day_id: number; day: string; product_id: number; cohorts: string[] }

/** Sessions restricted to some cohorts, from yesterday on (the only ones search or booking can meet). */
export async function restrictedSessions(db: Db): Promise<RestrictedSessionRow[]> {
  const r = await db.query<RestrictedSessionRow>(
    `SELECT se.id, se.clinic_id, se.clinic_day_id, cd.day::text AS day, se.product_id, se.cohorts
     FROM sessions se JOIN clinic_days cd ON cd.id = se.clinic_day_id
     WHERE se.cohorts IS NOT NULL AND cd.day >= current_date - 1`);
  return r.rows;
}

export async function setSessionCohorts(db: Db, sessionId: number, cohorts: string[] | null): Promise<boolean> {
  const r = await db.query('UPDATE sessions SET cohorts = $2 WHERE id = $1', [sessionId, cohorts]);
  return r.rowCount === 1;
}
