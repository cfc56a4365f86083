/** Why a hold or booking was refused; each maps to one stable API error code. */
export type BookingRefusal =
  | 'slot_full'          // no capacity left in a chosen slot
  | 'slot_unavailable'   // not published, cancelled, already started, or unknown
  | 'hold_expired'       // the hold ended (expired, released or used) before the booking
  | 'already_booked'     // the person already has an active appointment for that dose
  | 'overlapping'        // the person has another appointment at that time
  | 'invalid_request'    // inconsistent input the schema could not catch
  | 'identity_mismatch'  // the identifier is recorded with another date of birth
  | 'later_dose_booked'  // an earlier dose cannot be cancelled while a later one stays booked
  | 'nothing_to_reschedule' // no active appointment for that dose (cancelled meanwhile)
  | 'too_many_attempts'  // too many wrong dates of birth for one of the identifiers lately
  | 'invitation_unknown' | 'invitation_revoked' | 'invitation_expired' | 'invitation_used'; // the code cannot be redeemed

export class BookingError extends Error {
  /** `person`: which of the people booked together it is about (0 first), when known. */
  constructor(readonly refusal: BookingRefusal, message: string, readonly slotId?: number, readonly person?: number) {
    super(message);
    this.name = 'BookingError';
  }
}
