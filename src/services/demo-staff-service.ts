import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/transaction.js';
import { dataSetLoaded } from '../db/repositories/seed-repository.js';
import * as staff from '../db/repositories/staff-repository.js';
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
  if ((await staff.countStaff(pool)) === 0) {
    const at = await staff.demoPlace(pool);
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
      if (!(await staff.noStaffYetLocked(db))) return;
      for (const a of made) {
        await staff.insertStaff(db, { ...a, createdBy: null });
        await staff.insertDemoCredential(db, a.email, a.password);
      }
    });
  }
  return staff.demoCredentials(pool);
}
