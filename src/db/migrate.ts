import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { Logger, runMigrations as installJobQueue } from 'graphile-worker';
import { migrationsDir } from '../paths.js';

export interface Migration { name: string; sql: string }

export function listMigrations(dir = migrationsDir): Migration[] {
  return fs.readdirSync(dir)
    .filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

export class MigrationError extends Error {
  constructor(readonly migration: string, cause: unknown) {
    const e = cause as { message?: string; position?: string };
    super(`Migration ${migration} failed and was rolled back: ${e.message ?? String(cause)}${e.position ? ` (at character ${e.position})` : ''}`);
    this.name = 'MigrationError';
  }
}

// Any constant works: it only has to be the same for every vaxbook instance.
const MIGRATION_LOCK = 7_351_001;

/**
 * Applies the migrations not yet recorded, each in its own transaction, so a
 * failing file leaves the database exactly as it was before that file. An
 * advisory lock lets several instances start at once without racing.
 */
export async function migrate(pool: pg.Pool, migrations = listMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    // The delivery jobs' schema (graphile_worker) first: 010 and later add jobs from triggers.
    await installJobQueue({ pgPool: pool, logger: new Logger(() => () => {}) });
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
        await client.query('COMMIT');
        applied.push(m.name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(m.name, err);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}

/** Names of migrations that exist on disk but are not applied: empty when the schema is current. */
export async function pendingMigrations(pool: pg.Pool, migrations = listMigrations()): Promise<string[]> {
  const names = migrations.map((m) => m.name);
  const table = await pool.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return names;
  const r = await pool.query<{ name: string }>(
    `SELECT m.name FROM unnest($1::text[]) AS m(name)
     WHERE NOT EXISTS (SELECT 1 FROM schema_migrations s WHERE s.name = m.name)`, [names]);
  return r.rows.map((x) => x.name);
}
