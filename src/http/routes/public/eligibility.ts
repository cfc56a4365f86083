import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { DeclaredGroupSchema, RolloutSchema } from '../../../domain/rollout.js';
import { checkEligibility } from '../../../services/eligibility-service.js';
import { checkTypedIdentifier } from '../../../services/identity-service.js';
import { currentRollout } from '../../../services/rollout-service.js';
import { preferredLanguage } from '../../errors.js';
import { Day, errorResponses, Nullable } from '../../schemas.js';

const Msg = Type.Object({ en: Type.String(), fr: Type.String() });

/** What a person says about themself, the same in screening, search and booking. */
export const EligibilityClaims = {
  dateOfBirth: Day,
  regionCode: Type.Optional(Type.String({ maxLength: 40, description: 'Region of residence (see listRegions)' })),
  postalCode: Type.Optional(Type.String({ maxLength: 10, description: 'Postal code of residence, instead of regionCode' })),
  place: Type.Optional(Type.String({ minLength: 2, maxLength: 80, description: 'Town or postal code of residence as typed, instead of regionCode: the region is worked out from it' })),
  groups: Type.Array(DeclaredGroupSchema, { default: [], maxItems: 6, uniqueItems: true, description: 'Declared groups' }),
  invitationCode: Type.Optional(Type.String({ maxLength: 20, description: 'The code on an invitation letter' })),
};

export const eligibilityRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (app, { pool }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // POST: the date of birth stays out of URLs and logs.
  r.post('/api/v1/eligibility', {
    schema: {
      operationId: 'checkEligibility', tags: ['eligibility'],
      summary: 'Who may book which dose and product, from when, at which kinds of clinic — and for every "no", why and when it becomes "yes"',
      body: Type.Object({
        ...EligibilityClaims,
        history: Type.Array(Type.Object({ date: Day, product: Type.String({ maxLength: 40 }) }), { default: [], maxItems: 10, description: 'Doses already had, oldest first' }),
      }),
      response: {
        200: Type.Object({
          eligible: Type.Boolean(),
          regionCode: Nullable(Type.String({ description: 'the region of residence the answer is for (worked out from place or postalCode)' })),
          dose: Type.Integer(), kind: Type.Union([Type.Literal('primary'), Type.Literal('booster')]),
          from: Nullable(Type.String({ description: 'first appointment day open to the person' })),
          window: Nullable(Type.Object({ earliest: Day, recommended: Day, latest: Nullable(Day) })),
          products: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
          ways: Type.Array(Type.Object({
            phase: Nullable(Type.Object({ id: Type.String(), name: Msg })), cohort: Nullable(Type.Object({ id: Type.String(), name: Msg })),
            from: Type.String(), until: Nullable(Type.String()), byInvitation: Type.Boolean(),
          })),
          clinicKinds: Type.Array(Type.String()),
          invitation: Nullable(Type.Object({ code: Type.String(), status: Type.String() })),
          reasons: Type.Array(Type.Object({ code: Type.String(), cohort: Nullable(Type.String()), opensOn: Nullable(Type.String()), message: Type.String(), messages: Msg })),
          rolloutVersion: Type.Integer(),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => checkEligibility(pool, req.body, preferredLanguage(req)));

  // POST, as above: an identifier stays out of URLs and logs.
  r.post('/api/v1/identifiers/check', {
    schema: {
      operationId: 'checkIdentifier', tags: ['eligibility'],
      summary: "Checks an identifier as typed by the jurisdiction's scheme (format and check digits) — never whether the person exists",
      body: Type.Object({
        identifier: Type.String({ maxLength: 40 }),
        dateOfBirth: Type.Optional({ ...Day, description: 'Used by schemes whose check depends on it (Belgium)' }),
      }),
      response: {
        200: Type.Object({
          valid: Type.Boolean(), scheme: Type.String(),
          identifier: Nullable(Type.String({ description: 'the normalised identifier, when valid' })),
          version: Nullable(Type.String()),
          problem: Nullable(Type.String({ description: 'empty, characters, length, format or check_digit' })),
          message: Nullable(Type.String()), messages: Nullable(Msg),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const c = await checkTypedIdentifier(pool, req.body.identifier, req.body.dateOfBirth);
    if (c.ok) return { valid: true, scheme: c.scheme, identifier: c.value, version: c.version ?? null, problem: null, message: null, messages: null };
    return { valid: false, scheme: c.scheme, identifier: null, version: null, problem: c.problem, message: c.message[preferredLanguage(req)], messages: c.message };
  });

  r.get('/api/v1/rollout', {
    schema: {
      operationId: 'getRollout', tags: ['eligibility'], summary: 'The roll-out in force: cohorts and phases (null rules: open to all)',
      response: { 200: Type.Object({ version: Type.Integer(), rules: Nullable(RolloutSchema), createdAt: Nullable(Type.String()), createdBy: Nullable(Type.String()), note: Nullable(Type.String()) }), ...errorResponses },
    },
  }, async () => currentRollout(pool));
};
