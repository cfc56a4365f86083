/** The shapes of the public API the portal uses (see /openapi.json). */
export interface Msg { en: string; fr: string }
export interface Reason { code: string; opensOn: string | null; message: string; messages: Msg }
export interface Eligibility {
  eligible: boolean; regionCode: string | null; dose: number; kind: string; from: string | null; reasons: Reason[];
  ways?: Array<{ cohort: { id: string } | null }>;
  window: { earliest: string; recommended: string; latest: string | null } | null;
}
export interface Clinic {
  id: number; name: string; kind: string; address: { street: string; city: string; postalCode: string };
  latitude: number; longitude: number; timeZone: string; distanceKm: number;
}
export interface NextDose { day: string; clinicId: number; clinicName: string; distanceKm: number; sameClinic: boolean; product: string; window: { earliest: string; recommended: string; latest: string | null } }
export interface OfferedDay { day: string; product: { code: string; name: string }; freeCapacity: number; firstTimes: Array<{ slotId: number; startsAt: string; free: number }>; nextDose: NextDose | null }
export interface SearchAnswer {
  items: Array<{ clinic: Clinic; days: OfferedDay[] }>; nextCursor?: string;
  explanation?: { reason: string; message: string; nearest: { clinic: Clinic; day: string; product: string } | null; eligibility?: Reason[] };
}
export interface Slot { slotId: number; startsAt: string; endsAt: string; free: number; product: string }
export interface Appointment {
  dose: number; status: string; startsAt: string; endsAt: string; slotId: number; personGivenName: string; person: number; product: string;
  clinic: { id: number; name: string; street: string; city: string; postalCode: string; timeZone: string };
}
export interface Booking { confirmationCode: string; appointments: Appointment[] }
/** Who is booking: the first person, and the dates of birth of anyone booked with them (children, dependents). */
export interface Person {
  dateOfBirth: string; dependents: string[]; regionCode: string; groups: string[]; invitationCode: string;
  /** Roll-out cohorts every one of them is in: times of sessions serving only some groups show when they admit all. */
  cohorts?: string[];
  /** The postal code or town typed at eligibility ('' when a region was chosen from the list): search starts from it. */
  place: string;
  /** Dates of birth to book next, separately (no one vaccine suited everyone together). */
  later?: string[];
}
