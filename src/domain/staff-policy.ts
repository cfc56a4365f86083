/**
 * Who on the staff may do what, and where. Pure: the HTTP layer asks before
 * every staff operation, with the resource's clinic or region, and records the
 * answer in the audit log.
 */

export const ROLES = ['administrator', 'region_manager', 'clinic_manager', 'vaccinator', 'reception', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const OPERATIONS = [
  // The call centre: anyone in the jurisdiction may call.
  'person.find', 'person.read', 'person.note', 'booking.create', 'booking.change',
  // The clinic floor.
  'roster.read', 'appointment.checkIn', 'dose.record', 'appointment.noShow', 'walkIn.register', 'nextDose.book', 'day.summary',
  // Running clinics.
  'clinic.create', 'clinic.update', 'session.manage', 'supply.manage', 'clinicDay.publish', 'clinicDay.cancel',
  // The jurisdiction.
  'rollout.manage', 'invitations.manage', 'staff.manage', 'audit.read', 'reconcile.run', 'region.manage',
  // Messages: their status, retries, print batches (a region manager: in their regions).
  'messages.manage',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface Actor { role: Role; regionIds: readonly number[]; clinicIds: readonly number[] }

/** Where a resource is: a clinic (with its region), a region, or nowhere in particular (jurisdiction-wide). */
export interface Place { regionId?: number; clinicId?: number }

const CLINIC_FLOOR: Operation[] = ['roster.read', 'appointment.checkIn', 'walkIn.register', 'nextDose.book', 'day.summary'];

/** What each role may do at all; where is decided by `inScope`. */
const GRANTS: Record<Role, ReadonlySet<Operation>> = {
  administrator: new Set(OPERATIONS),
  region_manager: new Set<Operation>([...CLINIC_FLOOR, 'dose.record', 'appointment.noShow', 'clinic.create', 'clinic.update', 'session.manage',
    'supply.manage', 'clinicDay.publish', 'clinicDay.cancel', 'invitations.manage', 'messages.manage']),
  clinic_manager: new Set<Operation>([...CLINIC_FLOOR, 'dose.record', 'appointment.noShow', 'session.manage', 'supply.manage', 'clinicDay.publish', 'clinicDay.cancel']),
  vaccinator: new Set<Operation>([...CLINIC_FLOOR, 'dose.record']),
  reception: new Set<Operation>([...CLINIC_FLOOR, 'appointment.noShow']),
  agent: new Set<Operation>(['person.find', 'person.read', 'person.note', 'booking.create', 'booking.change']),
};

/** Operations whose resource is jurisdiction-wide whoever asks (a caller may live anywhere). */
const JURISDICTION_WIDE = new Set<Operation>(['person.find', 'person.read', 'person.note', 'booking.create', 'booking.change',
  'rollout.manage', 'staff.manage', 'audit.read', 'reconcile.run', 'region.manage']);

function inScope(actor: Actor, op: Operation, place: Place): boolean {
  if (actor.role === 'administrator' || JURISDICTION_WIDE.has(op)) return true;
  if (actor.role === 'region_manager') {
    // A region manager's scope is regions: a place with neither region nor clinic is beyond it.
    return place.regionId !== undefined && actor.regionIds.includes(place.regionId);
  }
  return place.clinicId !== undefined && actor.clinicIds.includes(place.clinicId);
}

export function may(actor: Actor, op: Operation, place: Place = {}): boolean {
  return GRANTS[actor.role].has(op) && inScope(actor, op, place);
}

/** The clinics a staff member works with: all of them for administrators and agents, else those of their scope. */
export function worksAt(actor: Actor, clinic: { id: number; regionId: number }): boolean {
  return actor.role === 'administrator' || actor.role === 'agent' || actor.clinicIds.includes(clinic.id)
    || (actor.role === 'region_manager' && actor.regionIds.includes(clinic.regionId));
}

/** Whether the role may do the operation somewhere (to hide what it never may, e.g. in a console's menu). */
export function grants(role: Role, op: Operation): boolean {
  return GRANTS[role].has(op);
}

export const isRole = (x: string): x is Role => (ROLES as readonly string[]).includes(x);
