import type pg from 'pg';
import { pendingMigrations } from '../db/migrate.js';
import { ping } from '../db/repositories/health-repository.js';

export interface Readiness { ready: boolean; database: 'ok' | 'unreachable'; pendingMigrations: string[] }

/** Ready = the database answers and every migration on disk has been applied. */
export async function readiness(pool: pg.Pool): Promise<Readiness> {
  try {
    await ping(pool);
  } catch {
    return { ready: false, database: 'unreachable', pendingMigrations: [] };
  }
  const pending = await pendingMigrations(pool);
  return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending };
}
