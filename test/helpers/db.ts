import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { createPool, withDatabase } from '../../src/db/database.js';

/**
 * A fresh database for one test file, cloned from the migrated template that
 * test/run.ts prepared, and dropped when the file's tests end.
 */
export async function freshDatabase(opts: { migrated?: boolean; poolSize?: number } = {}): Promise<{ pool: pg.Pool; url: string; name: string }> {
  const server = process.env.VAXBOOK_TEST_SERVER_URL;
  const template = process.env.VAXBOOK_TEST_TEMPLATE;
  if (!server || !template) throw new Error('Integration tests run through test/run.ts (npm test), which provides the PostgreSQL server.');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const source = opts.migrated === false ? 'template0' : template;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name);
  const pool = createPool(url, opts.poolSize ?? 10);
  created.push({ pool, name, server });
  return { pool, url, name };
}

const created: Array<{ pool: pg.Pool; name: string; server: string }> = [];
const stoppers: Array<() => Promise<void>> = [];

/** Stops something that holds database connections (a delivery worker) before the file's databases are dropped. */
export function stopBeforeDrop(stop: () => Promise<void>): void {
  stoppers.push(stop);
}

// Registered when a test file imports this module, so it runs after all of that file's tests.
after(async () => {
  for (const stop of stoppers.splice(0)) await stop().catch(() => {});
  for (const { pool, name, server } of created) {
    await pool.end().catch(() => {});
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
});
