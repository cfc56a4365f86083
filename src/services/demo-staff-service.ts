import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.js';
import { dataSetLoaded } from '../db/repositories/seed-repository.js';
import { insertStaff } from '../db/repositories/staff-repository.js';
import { hashPassword } from './password.js';

/**
 * The demo province's staff: one account per role, scoped to Ottawa and one
 * of its mass sites. Passwords are random per install and kept (demo only) so
 * the run command can print them.
 */
export interface DemoCredential { email: string; password: string; role: string; scope: string }

const password = () => randomBytes(12).toString('base64url');

export async function ensureDemoStaff(pool: pg.Pool): Promise<DemoCredential[]> {
  if (!(await dataSetLoaded(pool, 'demo'))) return [];
  const have = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_accounts`);
  if (have.rows[0]!.n === 0) {
    const place = await pool.query<{ region_id: number; clinic_id: number }>(
      `SELECT r.id AS region_id, c.id AS clinic_id FROM regions r JOIN clinics c ON c.region_id = r.id
       WHERE r.code = 'OTT' ORDER BY (c.kind = 'mass_site') DESC, c.id LIMIT 1`);
    const at = place.rows[0];
    if (!at) return [];
    const accounts = [
      { email: 'admin@vaxbook.demo', displayName: 'Demo Administrator', role: 'administrator' },
      { email: 'ottawa.manager@vaxbook.demo', displayName: 'Demo Region Manager (Ottawa)', role: 'region_manager', regionIds: [at.region_id] },
      { email: 'clinic.manager@vaxbook.demo', displayName: 'Demo Clinic Manager', role: 'clinic_manager', clinicIds: [at.clinic_id] },
      { email: 'nurse@vaxbook.demo', displayName: 'Demo Vaccinator', role: 'vaccinator', clinicIds: [at.clinic_id] },
      { email: 'reception@vaxbook.demo', displayName: 'Demo Reception', role: 'reception', clinicIds: [at.clinic_id] },
      { email: 'agent@vaxbook.demo', displayName: 'Demo Call-Centre Agent', role: 'agent' },
    ];
    const made: Array<{ email: string; displayName: string; role: string; regionIds: number[]; clinicIds: number[]; password: string; passwordHash: string }> = [];
    for (const a of accounts) {
      const secret = password();
      made.push({ regionIds: [], clinicIds: [], ...a, password: secret, passwordHash: await hashPassword(secret) });
    }
    // Accounts and their printed passwords together, or neither (an interrupted start tries again).
    await withTransaction(pool, async (db) => {
      await db.query(`LOCK TABLE staff_accounts IN SHARE ROW EXCLUSIVE MODE`);
      if ((await db.query(`SELECT 1 FROM staff_accounts LIMIT 1`)).rows.length) return;
      for (const a of made) {
        await insertStaff(db, { ...a, createdBy: null });
        await db.query(`INSERT INTO demo_staff_credentials (email, password) VALUES ($1, $2)`, [a.email, a.password]);
      }
    });
  }
  const r = await pool.query<DemoCredential>(
    `SELECT d.email, d.password, a.role,
            coalesce((SELECT string_agg(name, ', ') FROM clinics WHERE id = ANY (a.clinic_ids)),
                     (SELECT string_agg(name, ', ') FROM regions WHERE id = ANY (a.region_ids)), 'all of the province') AS scope
     FROM demo_staff_credentials d JOIN staff_accounts a ON a.email = d.email WHERE a.disabled_at IS NULL ORDER BY a.id`);
  return r.rows;
}
