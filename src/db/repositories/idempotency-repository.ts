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

/** The request an answer stored under (operation, key) was for, if one is stored. */
export async function storedRequestHash(db: pg.Pool, operation: string, key: string): Promise<string | undefined> {
  const r = await db.query<{ request_hash: string }>('SELECT request_hash FROM idempotency_keys WHERE operation = $1 AND key = $2', [operation, key]);
  return r.rows[0]?.request_hash;
}

export async function store(db: pg.PoolClient, operation: string, key: string, statusCode: number, result: unknown): Promise<void> {
  await db.query('UPDATE idempotency_keys SET status_code = $3, result = $4 WHERE operation = $1 AND key = $2',
    [operation, key, statusCode, JSON.stringify(result)]);
}

export type RequestClaim = { owned: true } | { owned: false; requestHash: string; running: boolean; statusCode: number; result: unknown };

/**
 * Claims (operation, key) for a request whose effect commits in transactions of its own: committed at once,
 * marked running for `leaseSeconds`. A claim left running past its lease (its process died) is taken over by
 * the same request; anything else returns what is stored.
 */
export async function claimRequest(db: pg.Pool, operation: string, key: string, requestHash: string, leaseSeconds: number): Promise<RequestClaim> {
  const mine = await db.query(
    `INSERT INTO idempotency_keys AS k (operation, key, request_hash, status_code, result, running_until)
     VALUES ($1, $2, $3, 0, 'null', now() + make_interval(secs => $4))
     ON CONFLICT (operation, key) DO UPDATE SET running_until = EXCLUDED.running_until, created_at = now()
       WHERE k.running_until < now() AND k.request_hash = EXCLUDED.request_hash`, [operation, key, requestHash, leaseSeconds]);
  if (mine.rowCount === 1) return { owned: true };
  const r = await db.query<{ request_hash: string; running: boolean; status_code: number; result: unknown }>(
    `SELECT request_hash, running_until IS NOT NULL AS running, status_code, result
     FROM idempotency_keys WHERE operation = $1 AND key = $2`, [operation, key]);
  const row = r.rows[0];
  // Gone between the two statements (abandoned by its owner): as good as running; the caller asks again.
  if (!row) return { owned: false, requestHash, running: true, statusCode: 0, result: null };
  return { owned: false, requestHash: row.request_hash, running: row.running, statusCode: row.status_code, result: row.result };
}

export async function finishRequest(db: pg.Pool, operation: string, key: string, statusCode: number, result: unknown): Promise<void> {
  await db.query('UPDATE idempotency_keys SET status_code = $3, result = $4, running_until = NULL WHERE operation = $1 AND key = $2',
    [operation, key, statusCode, JSON.stringify(result)]);
}

/** Forgets a claim whose request failed on our side, so that a repeat runs it again. */
export async function abandonRequest(db: pg.Pool, operation: string, key: string): Promise<void> {
  await db.query('DELETE FROM idempotency_keys WHERE operation = $1 AND key = $2 AND running_until IS NOT NULL', [operation, key]);
}

/**
 * Binds a caller's key to `target` the first time it is seen; returns what the key is bound to (`target` itself, or
 * what an earlier request bound it to). A concurrent first use waits on the row and then reads it.
 */
export async function bindTarget(db: pg.Pool, caller: string, key: string, target: string): Promise<string> {
  const r = await db.query<{ target: string }>(
    `INSERT INTO idempotency_key_targets AS t (caller, key, target) VALUES ($1, $2, $3)
     ON CONFLICT (caller, key) DO UPDATE SET target = t.target RETURNING target`, [caller, key, target]);
  return r.rows[0]!.target;
}

/** Keys are kept at least 24 hours, as Stripe does; older ones may go. */
export async function purgeOlderThan(db: pg.Pool, hours: number): Promise<number> {
  const r = await db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  await db.query(`DELETE FROM idempotency_key_targets WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  return r.rowCount ?? 0;
}
