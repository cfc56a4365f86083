import type pg from 'pg';
import { localParts } from '../domain/calendar.js';
import { summaryNeedsReorder } from '../domain/summary-order.js';
import * as repo from '../db/repositories/summary-order-repository.js';
import { timeZone } from './reference-service.js';

export type SummaryUpkeep = 'reordered' | 'not_needed' | 'busy';

/** Run hourly: keeps each clinic's summary rows together, rewriting them in the jurisdiction's night when needed. */
export async function keepSummaryInClinicOrder(pool: pg.Pool, now = new Date()): Promise<SummaryUpkeep> {
  const { hour } = localParts(now, await timeZone(pool));
  const correlation = await repo.summaryClinicCorrelation(pool);
  if (!summaryNeedsReorder(correlation, hour)) return 'not_needed';
  // A booking waiting longer than this for the summary would be worse than a slower search: try again next hour.
  return (await repo.reorderSummary(pool, 2_000)) ? 'reordered' : 'busy';
}
