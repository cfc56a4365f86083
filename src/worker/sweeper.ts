import type pg from 'pg';
import { expireHolds } from '../services/booking-service.js';
import { purgeExpiredRateLimits } from '../db/repositories/rate-limit-repository.js';
import { purgeIdempotencyKeys } from '../services/idempotency.js';
import { keepSummaryInClinicOrder } from '../services/summary-order-service.js';
import { every } from './every.js';

/**
 * Background upkeep: returns the capacity of expired holds every few seconds
 * (bookings also check expiry themselves, so a late sweep never oversells),
 * forgets idempotency keys after 48 hours (Stripe keeps them 24) and guessing counts whose window ended, and at night keeps
 * each clinic's availability summary rows together (what search reads).
 */
export function startSweeper(pool: pg.Pool, onError: (err: unknown) => void, holdsEveryMs = 5_000): () => void {
  const timers = [every(holdsEveryMs, () => expireHolds(pool), onError), every(3_600_000, () => purgeIdempotencyKeys(pool, 48), onError),
    every(3_600_000, () => keepSummaryInClinicOrder(pool), onError), every(3_600_000, () => purgeExpiredRateLimits(pool), onError)];
  return () => timers.forEach(clearInterval);
}
