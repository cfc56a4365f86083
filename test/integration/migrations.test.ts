import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { listMigrations, migrate, MigrationError, pendingMigrations } from '../../src/db/migrate.js';
import { freshDatabase } from '../helpers/db.js';

test('migrations apply to an empty database, once', async () => {
  const { pool } = await freshDatabase({ migrated: false });
  assert.deepEqual(await pendingMigrations(pool), listMigrations().map((m) => m.name));
  const applied = await migrate(pool);
  assert.deepEqual(applied, listMigrations().map((m) => m.name));
  assert.deepEqual(await pendingMigrations(pool), []);
  assert.deepEqual(await migrate(pool), [], 'a second run applies nothing');
  const tables = (await pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`)).rows.map((r) => r.t);
  for (const t of ['jurisdiction', 'regions', 'clinics', 'products', 'product_intervals', 'clinic_days', 'sessions', 'slots', 'persons', 'bookings', 'appointments', 'dose_records']) {
    assert.ok(tables.includes(t), `table ${t} exists`);
  }
});

test('concurrent starts migrate once', async () => {
  const { pool } = await freshDatabase({ migrated: false });
  const results = await Promise.all([migrate(pool), migrate(pool), migrate(pool)]);
  assert.equal(results.flat().length, listMigrations().length);
});

test('a failing migration leaves the database as it was', async () => {
  const { pool } = await freshDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxbook-mig-'));
  for (const m of listMigrations()) fs.writeFileSync(path.join(dir, m.name), m.sql);
  fs.writeFileSync(path.join(dir, '900_broken.sql'), 'CREATE TABLE half_done (id int);\nALTER TABLE clinics ADD COLUMN x int;\nSELECT no_such_function();');
  await assert.rejects(migrate(pool, listMigrations(dir)), (err: unknown) => {
    assert.ok(err instanceof MigrationError);
    assert.match(err.message, /900_broken\.sql failed and was rolled back/);
    return true;
  });
  const left = await pool.query(`SELECT to_regclass('half_done') AS t`);
  assert.equal(left.rows[0].t, null);
  const col = await pool.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'clinics' AND column_name = 'x'`);
  assert.equal(col.rowCount, 0);
  assert.deepEqual(await pendingMigrations(pool, listMigrations(dir)), ['900_broken.sql']);
  fs.rmSync(dir, { recursive: true });
});
