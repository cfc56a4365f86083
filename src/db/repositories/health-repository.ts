import type pg from 'pg';

export async function ping(db: pg.Pool): Promise<void> {
  await db.query('SELECT 1');
}
