import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface StaffRow {
  id: number; email: string; display_name: string; role: string; region_ids: number[]; clinic_ids: number[];
  password_hash: string; totp_secret: string | null; totp_pending_secret: string | null; totp_enabled_at: Date | null; failed_logins: number;
  locked_until: Date | null; disabled_at: Date | null; created_at: Date;
}

const COLUMNS = `id, email, display_name, role, region_ids, clinic_ids, password_hash, totp_secret, totp_pending_secret, totp_enabled_at,
  failed_logins, locked_until, disabled_at, created_at`;

export async function insertStaff(db: Db, s: { email: string; displayName: string; role: string; regionIds: number[]; clinicIds: number[]; passwordHash: string; createdBy: number | null }): Promise<StaffRow> {
  const r = await db.query<StaffRow>(
    `INSERT INTO staff_accounts (email, display_name, role, region_ids, clinic_ids, password_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [s.email, s.displayName, s.role, s.regionIds, s.clinicIds, s.passwordHash, s.createdBy]);
  return r.rows[0]!;
}

export async function staffByEmail(db: Db, email: string): Promise<StaffRow | undefined> {
  return (await db.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_accounts WHERE email = $1`, [email])).rows[0];
}

export async function staffById(db: Db, id: number): Promise<StaffRow | undefined> {
  return (await db.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_accounts WHERE id = $1`, [id])).rows[0];
}

export async function listStaff(db: Db): Promise<StaffRow[]> {
  return (await db.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_accounts ORDER BY role, email`)).rows;
}

export async function countStaff(db: Db, role?: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_accounts WHERE $1::text IS NULL OR role = $1`, [role ?? null]);
  return r.rows[0]!.n;
}

/**
 * A failed password: one more failure, and a lock once there are `maxFailures`
 * in a row — counted in one statement, so parallel guesses cannot slip past.
 */
export async function recordFailedLogin(db: Db, id: number, maxFailures: number, lockMinutes: number): Promise<{ failed: number; lockedUntil: Date | null }> {
  const r = await db.query<{ failed_logins: number; locked_until: Date | null }>(
    `UPDATE staff_accounts SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
            locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1 RETURNING failed_logins, locked_until`, [id, maxFailures, lockMinutes]);
  return { failed: r.rows[0]!.failed_logins, lockedUntil: r.rows[0]!.locked_until };
}

export async function recordGoodLogin(db: Db, id: number): Promise<void> {
  await db.query(`UPDATE staff_accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [id]);
}

/** Keeps a new secret beside the one in force: the second factor stays on until the new one is confirmed. */
export async function setPendingTotpSecret(db: Db, id: number, secret: string): Promise<void> {
  await db.query(`UPDATE staff_accounts SET totp_pending_secret = $2 WHERE id = $1`, [id, secret]);
}

/** Puts the confirmed secret in force, only if it is still the pending one (a later start replaced it otherwise). */
export async function enableTotp(db: Db, id: number, secret: string): Promise<boolean> {
  const r = await db.query(
    `UPDATE staff_accounts SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = now()
     WHERE id = $1 AND totp_pending_secret = $2`, [id, secret]);
  return r.rowCount === 1;
}

/** Disables an account and ends its sessions at once. */
export async function disableStaff(db: Db, id: number): Promise<boolean> {
  const r = await db.query<{ id: number }>(
    `WITH d AS (UPDATE staff_accounts SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1 RETURNING id),
          s AS (UPDATE staff_sessions SET revoked_at = now() WHERE staff_id IN (SELECT id FROM d) AND revoked_at IS NULL)
     SELECT id FROM d`, [id]);
  return r.rows.length === 1;
}

export interface SessionRow {
  staff_id: number; csrf_token: string; expires_at: Date;
  email: string; display_name: string; role: string; region_ids: number[]; clinic_ids: number[]; totp_enabled_at: Date | null;
}

export async function insertSession(db: Db, s: { tokenHash: Buffer; staffId: number; csrfToken: string; hours: number; ip: string | null }): Promise<Date> {
  const r = await db.query<{ expires_at: Date }>(
    `INSERT INTO staff_sessions (token_hash, staff_id, csrf_token, expires_at, ip) VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5)
     RETURNING expires_at`, [s.tokenHash, s.staffId, s.csrfToken, s.hours, s.ip]);
  return r.rows[0]!.expires_at;
}

/**
 * The live session of a token: not revoked, not expired, not idle too long,
 * and its account not disabled. Seeing it keeps it alive (idle timeout).
 */
export async function touchSession(db: Db, tokenHash: Buffer, idleMinutes: number): Promise<SessionRow | undefined> {
  const r = await db.query<SessionRow>(
    `UPDATE staff_sessions s SET last_seen_at = now()
     FROM staff_accounts a
     WHERE s.token_hash = $1 AND a.id = s.staff_id AND s.revoked_at IS NULL AND s.expires_at > now()
       AND s.last_seen_at > now() - make_interval(mins => $2) AND a.disabled_at IS NULL
     RETURNING s.staff_id, s.csrf_token, s.expires_at, a.email, a.display_name, a.role, a.region_ids, a.clinic_ids, a.totp_enabled_at`,
    [tokenHash, idleMinutes]);
  return r.rows[0];
}

export async function revokeSession(db: Db, tokenHash: Buffer): Promise<void> {
  await db.query(`UPDATE staff_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash]);
}

/** How many of these regions and clinics exist (a scope naming unknown ones is refused). */
export async function knownScope(db: Db, regionIds: number[], clinicIds: number[]): Promise<{ regions: number; clinics: number }> {
  return (await db.query<{ regions: number; clinics: number }>(
    `SELECT (SELECT count(*)::int FROM regions WHERE id = ANY($1)) AS regions, (SELECT count(*)::int FROM clinics WHERE id = ANY($2)) AS clinics`,
    [regionIds, clinicIds])).rows[0]!;
}

/** The demo's staff: Ottawa and one of its mass sites. */
export async function demoPlace(db: Db): Promise<{ region_id: number; clinic_id: number } | undefined> {
  return (await db.query<{ region_id: number; clinic_id: number }>(
    `SELECT r.id AS region_id, c.id AS clinic_id FROM regions r JOIN clinics c ON c.region_id = r.id
     WHERE r.code = 'OTT' ORDER BY (c.kind = 'mass_site') DESC, c.id LIMIT 1`)).rows[0];
}

/** Whether there is no staff account yet, holding a lock so two starts cannot both create the demo's. */
export async function noStaffYetLocked(db: pg.PoolClient): Promise<boolean> {
  await db.query(`LOCK TABLE staff_accounts IN SHARE ROW EXCLUSIVE MODE`);
  return (await db.query(`SELECT 1 FROM staff_accounts LIMIT 1`)).rows.length === 0;
}

export async function insertDemoCredential(db: Db, email: string, password: string): Promise<void> {
  await db.query(`INSERT INTO demo_staff_credentials (email, password) VALUES ($1, $2)`, [email, password]);
}

export async function demoCredentials(db: Db): Promise<Array<{ email: string; password: string; role: string; scope: string }>> {
  return (await db.query<{ email: string; password: string; role: string; scope: string }>(
    `SELECT d.email, d.password, a.role,
            coalesce((SELECT string_agg(name, ', ') FROM clinics WHERE id = ANY (a.clinic_ids)),
                     (SELECT string_agg(name, ', ') FROM regions WHERE id = ANY (a.region_ids)), 'all of the province') AS scope
     FROM demo_staff_credentials d JOIN staff_accounts a ON a.email = d.email WHERE a.disabled_at IS NULL ORDER BY a.id`)).rows;
}
