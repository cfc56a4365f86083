/**
 * The doses a "cancel dose N" takes with it: N and every later dose still booked. A later dose never stays
 * booked without the one before it (the API refuses that with later_dose_booked).
 */
export function dosesFrom(appointments: Array<{ dose: number; status: string }>, dose: number): number[] {
  return [...new Set([dose, ...appointments.filter((a) => a.status === 'booked' && a.dose > dose).map((a) => a.dose)])].sort((a, b) => a - b);
}
