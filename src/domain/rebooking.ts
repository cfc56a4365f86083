/**
 * When a clinic-day is cancelled, each appointment on it gets the nearest
 * equivalent time: the same vaccine and dose, inside its interval window
 * (the search sees to that), as close to the original day as possible, then
 * as near the original clinic. Pure: the service gives it the search's answer.
 */

export interface Candidate { clinicId: number; clinicName: string; distanceKm: number; day: string; slotId: number; startsAt: string; free: number }

const dayNumber = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

/** Days moved count most; each 10 km costs as much as a day. Candidates without room for everyone are skipped. */
export function rankReplacements(candidates: Candidate[], originalDay: string, seats: number): Candidate[] {
  const cost = (c: Candidate) => Math.abs(dayNumber(c.day) - dayNumber(originalDay)) + c.distanceKm / 10;
  return candidates.filter((c) => c.free >= seats).sort((a, b) => cost(a) - cost(b) || Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.slotId - b.slotId);
}
