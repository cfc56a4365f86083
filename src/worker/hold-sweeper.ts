import type pg from 'pg';
import { expireHolds } from '../services/booking-service.js';

/**
 * Returns the capacity of expired holds every few seconds. Bookings check
 * expiry themselves, so a late sweep never hides or oversells a slot.
 */
export function startHoldSweeper(pool: pg.Pool, onError: (err: unknown) => void, everyMs = 5_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expireHolds(pool).catch(onError).finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
