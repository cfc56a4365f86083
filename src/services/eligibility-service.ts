import type pg from 'pg';
import * as invitations from '../db/repositories/invitation-repository.js';
import { dateOfBirthProblem, isValidDay } from '../domain/age.js';
import type { Product } from '../domain/availability.js';
import { localDate } from '../domain/calendar.js';
import { normaliseConfirmationCode } from '../domain/confirmation-code.js';
import { eligibility, reasonMessage, type Eligibility, type NextDose, type PastDose, type RolloutNames } from '../domain/eligibility.js';
import type { Msg, PersonFacts, Rollout } from '../domain/rollout.js';
import { InputError } from './input-error.js';
import { clinicDirectory, productCatalogue, regionCodeSet } from './reference-cache.js';
import { jurisdictionSettings } from './reference-service.js';
import { currentRollout } from './rollout-service.js';
import { postalArea, regionOfPlace } from './place-service.js';

/**
 * Eligibility for every channel: resolves what a request says about a person
 * (region, groups, invitation, doses) into facts, and asks the domain rules.
 * Search, booking and the screening answer go through here.
 */

export interface PersonClaims {
  dateOfBirth: string;
  regionCode?: string;
  postalCode?: string;
  /** A town name or a postal code, as typed: the region is worked out from it. */
  place?: string;
  groups?: string[];
  invitationCode?: string;
  /** Doses already had, oldest first. */
  history?: Array<{ date: string; product: string }>;
}

export type InvitationStatus = 'valid' | 'unknown' | 'revoked' | 'expired' | 'used';

export interface ResolvedPerson {
  facts: PersonFacts;
  history: PastDose[];
  invitation: { code: string; status: InvitationStatus } | null;
}

const INVITATION_MESSAGES: Record<Exclude<InvitationStatus, 'valid'>, Msg> = {
  unknown: { en: 'This invitation code is not one we sent. Check the code on your letter.', fr: "Ce code d'invitation ne correspond à aucun envoi. Vérifiez le code sur votre lettre." },
  revoked: { en: 'This invitation code has been withdrawn.', fr: "Ce code d'invitation a été retiré." },
  expired: { en: 'This invitation code has expired.', fr: "Ce code d'invitation est expiré." },
  used: { en: 'This invitation code has already been used by someone else.', fr: "Ce code d'invitation a déjà été utilisé par une autre personne." },
};
export const invitationMessage = (s: Exclude<InvitationStatus, 'valid'>) => INVITATION_MESSAGES[s];

/** The region of residence: given, or from the postal code's area. */
async function residence(pool: pg.Pool, c: PersonClaims, field: string): Promise<string | null> {
  if (c.regionCode) {
    if (!(await regionCodeSet(pool)).has(c.regionCode)) {
      throw new InputError(`${field}regionCode`, { en: `There is no region "${c.regionCode}".`, fr: `La région « ${c.regionCode} » n'existe pas.` });
    }
    return c.regionCode;
  }
  if (c.postalCode) {
    const area = postalArea(c.postalCode);
    // The clinics' own addresses first, else the clinic nearest the area's centre (within the area served).
    const region = area && (await regionOfPlace(pool, area, `${field}postalCode`));
    if (!region) {
      throw new InputError(`${field}postalCode`, {
        en: `We cannot tell which region the postal code "${c.postalCode}" is in. Give your region instead.`,
        fr: `Nous ne savons pas dans quelle région se trouve le code postal « ${c.postalCode} ». Indiquez plutôt votre région.`,
      });
    }
    return region;
  }
  if (c.place) return regionOfPlace(pool, c.place, `${field}place`);
  return null;
}

/** `field`: the name the request gives the doses (history, or a booking's persons.N.previousDoses). */
function pastDoses(products: Product[], history: PersonClaims['history'], today: string, field: string): PastDose[] {
  return (history ?? []).map((h, i) => {
    const product = products.find((p) => p.code === h.product);
    if (!product) throw new InputError(`${field}.${i}.product`, { en: `There is no product "${h.product}".`, fr: `Le produit « ${h.product} » n'existe pas.` });
    if (!isValidDay(h.date) || h.date > today) {
      throw new InputError(`${field}.${i}.date`, { en: 'A previous dose needs a real date, not in the future.', fr: 'Une dose précédente doit avoir une vraie date, pas dans le futur.' });
    }
    return { day: h.date, product };
  });
}

async function invitationOf(pool: pg.Pool, given: string, holder?: { scheme: string; identifier: string; dateOfBirth: string }) {
  const code = normaliseConfirmationCode(given);
  const row = code ? await invitations.findInvitation(pool, code) : undefined;
  let status: InvitationStatus = 'valid';
  if (!row) status = 'unknown';
  else if (row.revoked_at) status = 'revoked';
  else if (row.expires_at <= new Date()) status = 'expired';
  else if (row.person_id !== null && !(holder && row.holder_scheme === holder.scheme && row.holder_identifier === holder.identifier
    && row.holder_dob === holder.dateOfBirth)) status = 'used';
  return { code: code ?? given, row, status };
}

/**
 * Why an invitation code given without the identity of who brings it can never be booked with: unknown, withdrawn or
 * expired (null: it may be). Whether it is used by someone else only a booking, which knows who books, can tell.
 */
export async function invitationProblem(pool: pg.Pool, given: string): Promise<Exclude<InvitationStatus, 'valid' | 'used'> | null> {
  const { status } = await invitationOf(pool, given);
  return status === 'valid' || status === 'used' ? null : status;
}

/**
 * The facts about one person. `holder` is the identity of the person the
 * invitation must be (or become) bound to; `asDependent` marks a dependent
 * booked with someone else's invitation.
 */
export async function resolvePerson(pool: pg.Pool, c: PersonClaims, opts: { field?: string; historyField?: string; holder?: { scheme: string; identifier: string; dateOfBirth: string }; asDependent?: boolean } = {}): Promise<ResolvedPerson> {
  const field = opts.field ?? '';
  const [products, settings] = await Promise.all([productCatalogue(pool), jurisdictionSettings(pool)]);
  const today = localDate(new Date(), settings.timeZone);
  const dob = dateOfBirthProblem(c.dateOfBirth, today);
  if (dob) throw new InputError(`${field}dateOfBirth`, dob);
  const regionCode = await residence(pool, c, field);
  let invitation: ResolvedPerson['invitation'] = null;
  let held: PersonFacts['invitation'] = null;
  if (c.invitationCode) {
    const { code, row, status } = await invitationOf(pool, c.invitationCode, opts.holder);
    invitation = { code, status };
    if (row && status === 'valid') held = { cohortId: row.cohort_id, regionCode: row.region_code, asDependent: !!opts.asDependent };
  }
  return {
    facts: { dateOfBirth: c.dateOfBirth, regionCode, groups: c.groups ?? [], invitation: held },
    history: pastDoses(products, c.history, today, `${field}${opts.historyField ?? 'history'}`),
    invitation,
  };
}

/** Eligibility of resolved facts under the rules in force (today in the jurisdiction's time zone). */
export async function eligibilityOf(pool: pg.Pool, person: ResolvedPerson, next?: NextDose): Promise<{ e: Eligibility; rules: Rollout | null; version: number }> {
  const [rollout, products, settings] = await Promise.all([currentRollout(pool), productCatalogue(pool), jurisdictionSettings(pool)]);
  const today = localDate(new Date(), settings.timeZone);
  return { e: eligibility({ rules: rollout.rules, person: person.facts, history: person.history, next, products, today }), rules: rollout.rules, version: rollout.version };
}

export function namesOf(rules: Rollout | null): RolloutNames {
  return {
    cohort: (id) => rules?.cohorts.find((c) => c.id === id)?.name,
    phase: (id) => rules?.phases.find((p) => p.id === id)?.name,
  };
}

/** The screening answer (operationId checkEligibility). */
export async function checkEligibility(pool: pg.Pool, claims: PersonClaims, lang: 'en' | 'fr') {
  const person = await resolvePerson(pool, claims);
  const { e, rules, version } = await eligibilityOf(pool, person);
  const names = namesOf(rules);
  const clinics = await clinicDirectory(pool);
  const cohorts = new Set(e.entitlements.map((x) => x.cohortId));
  const kinds = [...new Set(clinics.filter((c) => c.cohorts === null || c.cohorts.some((k) => cohorts.has(k))).map((c) => c.kind))].sort();
  const reasons = e.reasons.map((r) => {
    const messages = reasonMessage(r, names);
    return { code: r.code as string, cohort: r.cohortId ?? null, opensOn: r.opensOn ?? null, message: messages[lang], messages };
  });
  if (person.invitation && person.invitation.status !== 'valid') {
    const messages = INVITATION_MESSAGES[person.invitation.status];
    reasons.unshift({ code: `invitation_${person.invitation.status}`, cohort: null, opensOn: null, message: messages[lang], messages });
  }
  // A booking with an invitation code that can never be used is refused whatever else is true: so is the screening.
  const deadCode = person.invitation && !['valid', 'used'].includes(person.invitation.status);
  return {
    eligible: e.eligible && !deadCode,
    regionCode: person.facts.regionCode,
    dose: e.dose,
    kind: e.kind,
    from: e.from,
    window: e.window,
    products: e.products.map((p) => ({ code: p.code, name: p.name })),
    ways: e.entitlements.map((x) => ({
      phase: x.phaseId && { id: x.phaseId, name: names.phase(x.phaseId) ?? { en: x.phaseId, fr: x.phaseId } },
      cohort: x.cohortId && { id: x.cohortId, name: names.cohort(x.cohortId) ?? { en: x.cohortId, fr: x.cohortId } },
      from: x.from < (e.from ?? x.from) ? e.from! : x.from, until: x.until, byInvitation: x.invited,
    })),
    clinicKinds: e.eligible ? kinds : [],
    invitation: person.invitation && { code: person.invitation.code, status: person.invitation.status },
    reasons,
    rolloutVersion: version,
  };
}
