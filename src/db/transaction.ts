import type pg from 'pg';
import { queryTimedOut, serverUnreachable } from './connection-breaker.js';

const RETRYABLE = new Set(['40P01', '40001']); // deadlock detected, serialization failure

/**
 * Runs `fn` again (up to 3 times) when PostgreSQL aborted it for a deadlock or a
 * serialization failure: nothing of the aborted attempt was kept.
 */
export async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, attempt * 5 + Math.random() * 10));
    }
  }
}

/** Runs `fn` in one transaction on one connection: commit if it resolves, roll back if it throws (retried on deadlock). */
export function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return retrying(() => transactionOnce(pool, fn));
}

async function transactionOnce<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A connection whose server stopped answering is dropped, not asked to roll back (it would wait again); the server
    // rolls back a transaction whose connection is gone.
    if (queryTimedOut(err) || serverUnreachable(err)) lost = err as Error;
    else await client.query('ROLLBACK').catch((e: Error) => { lost = e; });
    throw err;
  } finally {
    client.release(lost);
  }
}
