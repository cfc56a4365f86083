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
    const outcome = await effect(db);
    await idem.store(db, operation, key, 200, outcome);
    return outcome;
  });
}

export function purgeIdempotencyKeys(pool: pg.Pool, olderThanHours: number): Promise<number> {
  return idem.purgeOlderThan(pool, olderThanHours);
}
