/**
 * When the availability summary is rewritten in clinic order: only in the quiet hours of the night
 * (the rewrite makes bookings wait about a second), and only once the order has decayed — new
 * sessions arrive day by day across the province, so each clinic's days drift apart over weeks.
 */
const QUIET_HOURS = { from: 3, to: 5 } as const; // local time, [from, to)
const REORDER_BELOW = 0.9;

export function summaryNeedsReorder(correlation: number | null, localHour: number): boolean {
  if (localHour < QUIET_HOURS.from || localHour >= QUIET_HOURS.to) return false;
  return correlation !== null && correlation < REORDER_BELOW;
}
