import type pg from 'pg';

export interface StoredResult { request_hash: string; status_code: number; result: unknown }

/**
 * Claims (operation, key) inside the caller's transaction. A concurrent
 * request with the same key waits on the unique index until the first
 * commits, then sees its stored result: one effect, whatever the timing.
 * Returns the earlier result, or undefined when this request is the first.
 */
export async function claim(db: pg.PoolClient, operation: string, key: string, requestHash: string): Promise<StoredResult | undefined> {
  const inserted = await db.query(
    `INSERT INTO idempotency_keys (operation, key, request_hash, status_code, result) VALUES ($1, $2, $3, 0, 'null')
     ON CONFLICT (operation, key) DO NOTHING`, [operation, key, requestHash]);
  if (inserted.rowCount === 1) return undefined;
  const r = await db.query<StoredResult>(
    'SELECT request_hash, status_code, result FROM idempotency_keys WHERE operation = $1 AND key = $2', [operation, key]);
  return r.rows[0];
}

export async function store(db: pg.PoolClient, operation: string, key: string, statusCode: number, result: unknown): Promise<void> {
  await db.query('UPDATE idempotency_keys SET status_code = $3, result = $4 WHERE operation = $1 AND key = $2',
    [operation, key, statusCode, JSON.stringify(result)]);
}

/** Keys are kept at least 24 hours, as Stripe does; older ones may go. */
export async function purgeOlderThan(db: pg.Pool, hours: number): Promise<number> {
  const r = await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  return r.rowCount ?? 0;
}
