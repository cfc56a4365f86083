import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { stringify as stableStringify } from 'safe-stable-stringify';
import * as idem from '../db/repositories/idempotency-repository.js';
import { withTransaction } from '../db/transaction.js';

/** The same request whatever the order of its JSON object keys: a client may serialise a retry differently. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(stableStringify(body) ?? '').digest('hex');
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
    // A replay is marked as one (an object answer gains `replayed`), so HTTP can say so.
    if (prior) return prior.request_hash === hash ? replayed(prior.result as T) : reused;
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

/**
 * True when `key` already answered another request of `operation`. Checked before a request is read any further, so
 * a different request under a used key is refused as such (422), not for what else is wrong with it; the same request
 * goes on and is replayed where its answer is stored.
 */
export async function keyAnsweredOtherRequest(pool: pg.Pool, operation: string, key: string | undefined, body: unknown): Promise<boolean> {
  if (!key) return false;
  const stored = await idem.storedRequestHash(pool, operation, key);
  return stored !== undefined && stored !== requestHash(body);
}

/** True when `key` holds an answer (or a request at work) for `operation`. */
export async function keyHoldsAnswer(pool: pg.Pool, operation: string, key: string): Promise<boolean> {
  return (await idem.storedRequestHash(pool, operation, key)) !== undefined;
}

function replayed<T>(answer: T): T {
  return answer !== null && typeof answer === 'object' && !Array.isArray(answer) ? { ...answer, replayed: true } : answer;
}

/** False when this caller already sent `key` to another operation or resource than `target` (a reused key). */
export async function keyFitsTarget(pool: pg.Pool, caller: string, key: string, target: string): Promise<boolean> {
  return (await idem.bindTarget(pool, caller, key, target)) === target;
}

export function purgeIdempotencyKeys(pool: pg.Pool, olderThanHours: number): Promise<number> {
  return idem.purgeOlderThan(pool, olderThanHours);
}

/** How long a first request may run before a repeat may take its key over (its process is then presumed dead). */
const LEASE_SECONDS = 300;
/** How long a repeat waits for the first request's answer before it is told to come back. */
const WAIT_MS = 10_000;

export type RequestKeyClaim = { kind: 'owned' } | { kind: 'replay'; statusCode: number; result: unknown } | { kind: 'reused' } | { kind: 'busy' };

/**
 * For operations whose effect commits in transactions of their own: claims (operation, key) before the effect
 * runs. A repeat of a finished request gets its answer; a repeat of a running one waits for it (up to 10 s,
 * then `busy`); another request under the same key is `reused`.
 */
export async function claimRequestKey(pool: pg.Pool, operation: string, key: string, request: unknown): Promise<RequestKeyClaim> {
  const hash = requestHash(request);
  const giveUpAt = Date.now() + WAIT_MS;
  for (;;) {
    const claim = await idem.claimRequest(pool, operation, key, hash, LEASE_SECONDS);
    if (claim.owned) return { kind: 'owned' };
    if (claim.requestHash !== hash) return { kind: 'reused' };
    if (!claim.running) return { kind: 'replay', statusCode: claim.statusCode, result: claim.result };
    if (Date.now() >= giveUpAt) return { kind: 'busy' };
    await sleep(100);
  }
}

/** The answer of a claimed request (`answer` undefined: none that can be replayed, so a repeat runs again). */
export async function settleRequestKey(pool: pg.Pool, operation: string, key: string, answer: { statusCode: number; result: unknown } | undefined): Promise<void> {
  if (answer) await idem.finishRequest(pool, operation, key, answer.statusCode, answer.result);
  else await idem.abandonRequest(pool, operation, key);
}
