import type pg from 'pg';

type Db = pg.Pool | pg.PoolClient;

export interface AuditEntry {
  staffId: number | null; staffEmail: string | null; role: string | null; action: string; outcome: 'allowed' | 'denied' | 'failed';
  personId?: number | null; bookingCode?: string | null; clinicId?: number | null; regionId?: number | null;
  reason?: string | null; ip?: string | null; detail?: Record<string, unknown> | null;
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (staff_id, staff_email, role, action, outcome, person_id, booking_code, clinic_id, region_id, reason, ip, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [e.staffId, e.staffEmail, e.role, e.action, e.outcome, e.personId ?? null, e.bookingCode ?? null, e.clinicId ?? null,
      e.regionId ?? null, e.reason ?? null, e.ip ?? null, e.detail ? JSON.stringify(e.detail) : null]);
}

export interface AuditRow {
  id: string; at: Date; staff_id: number | null; staff_email: string | null; role: string | null; action: string; outcome: string;
  person_id: string | null; booking_code: string | null; clinic_id: number | null; region_id: number | null; reason: string | null;
  ip: string | null; detail: Record<string, unknown> | null;
}

export interface AuditQuery { staffId?: number; action?: string; personId?: number; bookingCode?: string; from?: Date; to?: Date; before?: number; limit: number }

/** Newest first; `before` (an id) pages further back. */
export async function searchAudit(db: Db, q: AuditQuery): Promise<AuditRow[]> {
  const r = await db.query<AuditRow>(
    `SELECT id::text, at, staff_id, staff_email, role, action, outcome, person_id::text, booking_code, clinic_id, region_id, reason, host(ip) AS ip, detail
     FROM audit_log
     WHERE ($1::int IS NULL OR staff_id = $1) AND ($2::text IS NULL OR action = $2) AND ($3::bigint IS NULL OR person_id = $3)
       AND ($4::text IS NULL OR booking_code = $4) AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
       AND ($7::bigint IS NULL OR id < $7)
     ORDER BY id DESC LIMIT $8`,
    [q.staffId ?? null, q.action ?? null, q.personId ?? null, q.bookingCode ?? null, q.from ?? null, q.to ?? null, q.before ?? null, q.limit]);
  return r.rows;
}
