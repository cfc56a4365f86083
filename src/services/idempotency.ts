import { createHash } from 'node:crypto';
import type pg from 'pg';
import * as idem from '../db/repositories/idempotency-repository.js';
import { withTransaction } from '../db/transaction.js';

export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Runs `effect` at most once per (operation, key), Stripe-style: the outcome
 * is stored in the same transaction as the effect, a repeat with the same
 * body replays it, a repeat with another body gets `reused`. Concurrent
 * repeats wait on the key's row until the first commits.
 */
export async function once<T>(pool: pg.Pool, operation: string, key: string | undefined, body: unknown,
  effect: (db: pg.PoolClient) => Promise<T>, reused: T): Promise<T> {
  return withTransaction(pool, async (db) => {
    if (!key) return effect(db);
    const hash = requestHash(body);
    const prior = await idem.claim(db, operation, key, hash);
    if (prior) return prior.request_hash === hash ? (prior.result as T) : reused;
    // An effect may catch its own refusal (a full slot) after PostgreSQL has aborted the transaction: rolling back
    // to the savepoint undoes the failed statements and keeps the claim, so the refusal is stored like any answer.
    await db.query('SAVEPOINT effect');
    const outcome = await effect(db);
    try {
      await db.query('RELEASE SAVEPOINT effect');
    } catch (err) {
      if ((err as { code?: string }).code !== '25P02') throw err; // 25P02: in failed SQL transaction
      await db.query('ROLLBACK TO SAVEPOINT effect');
    }
    await idem.store(db, operation, key, 200, outcome);
    return outcome;
  });
}

export function purgeIdempotencyKeys(pool: pg.Pool, olderThanHours: number): Promise<number> {
  return idem.purgeOlderThan(pool, olderThanHours);
}
