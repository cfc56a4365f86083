import type pg from 'pg';
import * as repo from '../db/repositories/booking-repository.js';

export interface ReconcileReport {
  ok: boolean;
  checkedAt: string;
  seconds: number;
  /** Slots whose booked/held counters differ from their active appointments and holds. */
  counterDrift: repo.DriftRow[];
  /** Clinic-day summaries (what search reads) that differ from their slots. */
  summaryDrift: repo.SummaryDriftRow[];
}

/** Verifies invariant 1 over the whole database: every counter equals the rows it counts. */
export async function reconcile(pool: pg.Pool): Promise<ReconcileReport> {
  const t0 = Date.now();
  const [counterDrift, summaryDrift] = await Promise.all([repo.counterDrift(pool, 100), repo.summaryDrift(pool, 100)]);
  return {
    ok: counterDrift.length === 0 && summaryDrift.length === 0,
    checkedAt: new Date().toISOString(),
    seconds: (Date.now() - t0) / 1000,
    counterDrift,
    summaryDrift,
  };
}
