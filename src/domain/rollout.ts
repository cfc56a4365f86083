import { Type, type Static } from 'typebox';
import { dayTurning, isValidDay } from './age.js';
import { addDays } from './calendar.js';

/**
 * The roll-out as data: cohorts (who) and phases (which cohort may book, in
 * which regions, from which day, for which kind of dose, and whether only with
 * an invitation). Pure: the services load the document and the person's facts,
 * these rules decide, the same way for every channel.
 */

export const DECLARED_GROUPS = ['health_care_worker', 'essential_caregiver', 'firefighter', 'educator', 'high_risk_condition',
  'congregate_setting'] as const;
export type DeclaredGroup = (typeof DECLARED_GROUPS)[number];

export const DeclaredGroupSchema = Type.Union([Type.Literal('health_care_worker'), Type.Literal('essential_caregiver'), Type.Literal('firefighter'),
  Type.Literal('educator'), Type.Literal('high_risk_condition'), Type.Literal('congregate_setting')]);

const Text = Type.Object({ en: Type.String({ minLength: 1, maxLength: 200 }), fr: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false });
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$', description: 'lower-case letters, digits, - and _' });
const RegionCode = Type.String({ minLength: 1, maxLength: 40 });

export const CohortSchema = Type.Object({
  id: Id,
  name: Text,
  minAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'years, on the appointment day' })),
  maxAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'years, on the appointment day, inclusive' })),
  bornInOrBefore: Type.Optional(Type.Integer({ minimum: 1880, maximum: 2100, description: 'birth year, as Ontario phased by year' })),
  bornInOrAfter: Type.Optional(Type.Integer({ minimum: 1880, maximum: 2100 })),
  groups: Type.Optional(Type.Array(DeclaredGroupSchema, { minItems: 1, uniqueItems: true,
    description: 'any of these declared groups' })),
  regions: Type.Optional(Type.Array(RegionCode, { minItems: 1, uniqueItems: true, description: 'region of residence' })),
}, { additionalProperties: false });

export const PhaseSchema = Type.Object({
  id: Id,
  name: Text,
  cohorts: Type.Array(Id, { minItems: 1, uniqueItems: true }),
  regions: Type.Union([Type.Literal('all'), Type.Array(RegionCode, { minItems: 1, uniqueItems: true })]),
  opens: Type.String({ format: 'date', description: "YYYY-MM-DD: bookable from midnight of that day in the jurisdiction's time zone" }),
  doses: Type.Union([Type.Literal('primary'), Type.Literal('booster')], { description: 'the primary series (dose 1, the rest follows) or boosters' }),
  invitationOnly: Type.Optional(Type.Boolean()),
  invitationCoversDependents: Type.Optional(Type.Boolean({ description: "an invited person's dependents, booked in the same request, may book too" })),
}, { additionalProperties: false });

export const RolloutSchema = Type.Object({
  cohorts: Type.Array(CohortSchema, { minItems: 1, maxItems: 200 }),
  phases: Type.Array(PhaseSchema, { maxItems: 500 }),
}, { additionalProperties: false });

export type Cohort = Static<typeof CohortSchema>;
export type Phase = Static<typeof PhaseSchema>;
export type Rollout = Static<typeof RolloutSchema>;
export type DoseKind = Phase['doses'];
export interface Msg { en: string; fr: string }

/** What the schema cannot say: references, ranges and dates that must agree. Empty when the document is sound. */
export function rolloutProblems(doc: Rollout, regionCodes: ReadonlySet<string>): Array<{ field: string; message: Msg }> {
  const out: Array<{ field: string; message: Msg }> = [];
  const cohortIds = new Set<string>();
  doc.cohorts.forEach((c, i) => {
    const field = `cohorts[${i}]`;
    if (cohortIds.has(c.id)) out.push({ field: `${field}.id`, message: { en: `The cohort id "${c.id}" is used twice.`, fr: `L'identifiant de cohorte « ${c.id} » est utilisé deux fois.` } });
    cohortIds.add(c.id);
    if (c.minAge !== undefined && c.maxAge !== undefined && c.minAge > c.maxAge) {
      out.push({ field: `${field}.maxAge`, message: { en: `maxAge (${c.maxAge}) is below minAge (${c.minAge}).`, fr: `maxAge (${c.maxAge}) est inférieur à minAge (${c.minAge}).` } });
    }
    if (c.bornInOrAfter !== undefined && c.bornInOrBefore !== undefined && c.bornInOrAfter > c.bornInOrBefore) {
      out.push({ field: `${field}.bornInOrAfter`, message: { en: 'bornInOrAfter is after bornInOrBefore.', fr: 'bornInOrAfter est postérieur à bornInOrBefore.' } });
    }
    for (const r of c.regions ?? []) {
      if (!regionCodes.has(r)) out.push({ field: `${field}.regions`, message: { en: `There is no region "${r}".`, fr: `La région « ${r} » n'existe pas.` } });
    }
  });
  const phaseIds = new Set<string>();
  doc.phases.forEach((p, i) => {
    const field = `phases[${i}]`;
    if (phaseIds.has(p.id)) out.push({ field: `${field}.id`, message: { en: `The phase id "${p.id}" is used twice.`, fr: `L'identifiant de phase « ${p.id} » est utilisé deux fois.` } });
    phaseIds.add(p.id);
    if (!isValidDay(p.opens)) out.push({ field: `${field}.opens`, message: { en: `"${p.opens}" is not a real date (YYYY-MM-DD).`, fr: `« ${p.opens} » n'est pas une vraie date (AAAA-MM-JJ).` } });
    for (const c of p.cohorts) {
      if (!cohortIds.has(c)) out.push({ field: `${field}.cohorts`, message: { en: `There is no cohort "${c}".`, fr: `La cohorte « ${c} » n'existe pas.` } });
    }
    if (p.regions !== 'all') {
      for (const r of p.regions) {
        if (!regionCodes.has(r)) out.push({ field: `${field}.regions`, message: { en: `There is no region "${r}".`, fr: `La région « ${r} » n'existe pas.` } });
      }
    }
    if (p.invitationCoversDependents && !p.invitationOnly) {
      out.push({ field: `${field}.invitationCoversDependents`, message: { en: 'Only an invitation-only phase can cover dependents.', fr: 'Seule une phase sur invitation peut couvrir les personnes à charge.' } });
    }
  });
  return out;
}

/** What the roll-out needs to know about a person. */
export interface PersonFacts {
  dateOfBirth: string;
  /** Region of residence (code), or null when unknown. */
  regionCode: string | null;
  groups: readonly string[];
  /** A valid invitation (unrevoked, unexpired, not redeemed by someone else) the person holds, or shares as a dependent. */
  invitation: { cohortId: string; regionCode: string; asDependent: boolean } | null;
}

/**
 * An open way in: the person may book appointments on days in [from, until)
 * (until null: no end), under this phase and cohort. cohortId null means no
 * roll-out is configured (everyone, at unrestricted clinics).
 */
export interface Entitlement { phaseId: string | null; cohortId: string | null; from: string; until: string | null; invited: boolean }

export type ReasonCode = 'opens_later' | 'age_later' | 'opens_later_elsewhere' | 'invitation_required' | 'not_in_cohort' | 'region_unknown';
/** A closed way in, with the day it opens when known. */
export interface Reason { code: ReasonCode; phaseId?: string; cohortId?: string; opensOn?: string }

const EVER = '0001-01-01';
/**
 * Joining a cohort by age further ahead than anything can be booked (search
 * looks 92 days ahead) is a "not yet", not a way in.
 */
const AGE_LOOKAHEAD_DAYS = 92;

/** The days on which the person belongs to the cohort, or null if never (groups, regions, birth year). */
function cohortDays(c: Cohort, p: PersonFacts): { from: string; until: string | null } | null {
  if (c.groups && !c.groups.some((g) => p.groups.includes(g))) return null;
  if (c.regions && (p.regionCode === null || !c.regions.includes(p.regionCode))) return null;
  const birthYear = Number(p.dateOfBirth.slice(0, 4));
  if (c.bornInOrBefore !== undefined && birthYear > c.bornInOrBefore) return null;
  if (c.bornInOrAfter !== undefined && birthYear < c.bornInOrAfter) return null;
  return {
    from: c.minAge === undefined ? EVER : dayTurning(p.dateOfBirth, c.minAge),
    until: c.maxAge === undefined ? null : dayTurning(p.dateOfBirth, c.maxAge + 1),
  };
}

/**
 * Which phases let this person book a dose of `kind` as of `today` (the
 * jurisdiction's calendar day), and why the others do not. With no roll-out
 * (null) everyone may book, products' own age limits aside.
 */
export function rolloutVerdict(rules: Rollout | null, person: PersonFacts, kind: DoseKind, today: string): { entitlements: Entitlement[]; reasons: Reason[] } {
  if (!rules) return { entitlements: [{ phaseId: null, cohortId: null, from: EVER, until: null, invited: false }], reasons: [] };
  const cohorts = new Map(rules.cohorts.map((c) => [c.id, c]));
  const entitlements: Entitlement[] = [];
  const reasons: Reason[] = [];
  for (const phase of rules.phases) {
    if (phase.doses !== kind) continue;
    const inRegion = (code: string | null) => phase.regions === 'all' || (code !== null && phase.regions.includes(code));
    for (const cohortId of phase.cohorts) {
      const cohort = cohorts.get(cohortId);
      if (!cohort) continue;
      const inv = person.invitation;
      const invitedHere = !!inv && inRegion(inv.regionCode) && inv.cohortId === cohortId;
      // An invitation covering dependents lets them in whatever their own cohort (a family, a household).
      const asDependent = !!phase.invitationOnly && !!phase.invitationCoversDependents && invitedHere && inv.asDependent;
      const days = asDependent ? { from: EVER, until: null } : cohortDays(cohort, person);
      if (!days) continue;
      if (days.until !== null && days.until <= today) continue; // grown out of it (a child's cohort)
      if (days.from > addDays(today, AGE_LOOKAHEAD_DAYS)) {
        // Worth saying only when it is this year's news, not a cohort joined decades from now.
        if (days.from <= addDays(today, 366)) reasons.push({ code: 'age_later', phaseId: phase.id, cohortId, opensOn: phase.opens > days.from ? phase.opens : days.from });
        continue;
      }
      if (!asDependent && !inRegion(person.regionCode)) {
        reasons.push(person.regionCode === null
          ? { code: 'region_unknown', phaseId: phase.id, cohortId }
          : { code: 'opens_later_elsewhere', phaseId: phase.id, cohortId });
        continue;
      }
      if (phase.opens > today) {
        reasons.push({ code: 'opens_later', phaseId: phase.id, cohortId, opensOn: phase.opens > days.from ? phase.opens : days.from });
        continue;
      }
      if (phase.invitationOnly && !invitedHere) {
        reasons.push({ code: 'invitation_required', phaseId: phase.id, cohortId });
        continue;
      }
      entitlements.push({ phaseId: phase.id, cohortId, from: days.from, until: days.until, invited: !!phase.invitationOnly });
    }
  }
  if (entitlements.length === 0 && reasons.length === 0) reasons.push({ code: 'not_in_cohort' });
  // Soonest first (the answer people want is "when"), one per cohort and kind of answer.
  const seen = new Set<string>();
  const distinct = reasons.filter((r) => {
    const key = `${r.code}|${r.cohortId}|${r.opensOn}`;
    return !seen.has(key) && !!seen.add(key);
  });
  distinct.sort((a, b) => ((a.opensOn ?? '9999') < (b.opensOn ?? '9999') ? -1 : (a.opensOn ?? '9999') > (b.opensOn ?? '9999') ? 1 : 0));
  return { entitlements, reasons: distinct };
}

/**
 * Whether an appointment on `day` at a clinic serving `clinicCohorts` (null:
 * everyone) is open to the person under one of the entitlements.
 */
export function entitledOn(entitlements: readonly Entitlement[], day: string, clinicCohorts: readonly string[] | null): boolean {
  for (const e of entitlements) {
    if (day < e.from || (e.until !== null && day >= e.until)) continue;
    if (clinicCohorts === null || (e.cohortId !== null && clinicCohorts.includes(e.cohortId))) return true;
  }
  return false;
}

/** The first day on or after `today` with an open entitlement (at any clinic), or null. */
export function firstEntitledDay(entitlements: readonly Entitlement[], today: string): string | null {
  let best: string | null = null;
  for (const e of entitlements) {
    const from = e.from > today ? e.from : today;
    if (e.until !== null && from >= e.until) continue;
    if (best === null || from < best) best = from;
  }
  return best;
}
