import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { setClinicCohorts, setSessionCohorts } from '../../../db/repositories/rollout-repository.js';
import { forgetCachedReferenceData } from '../../../services/reference-cache.js';
import { currentRollout, rolloutHistory, RolloutConflict, updateRollout, validateRollout } from '../../../services/rollout-service.js';
import * as invitations from '../../../services/invitation-service.js';
import * as messages from '../../../services/message-service.js';
import { jurisdictionSettings } from '../../../services/reference-service.js';
import { importDoseRecords } from '../../../services/dose-import-service.js';
import { authorize } from '../../staff-auth.js';
import { ApiError } from '../../errors.js';
import { Day, Id, Nullable, PersonName, errorResponses, fileResponse } from '../../schemas.js';

/** The two bulk operations take up to 8 MiB of JSON. */
const LARGE_BODY_BYTES = 8 * 1024 * 1024;

const Actor = Type.String({ minLength: 1, maxLength: 100, description: 'Who makes the change (kept with it)' });
const Batch = Type.Object({
  id: Type.Integer(), region: Type.String(), regionName: Type.String(), cohort: Type.String(), size: Type.Integer(), redeemed: Type.Integer(),
  expiresAt: Type.String(), createdAt: Type.String(), createdBy: Type.String(), revokedAt: Nullable(Type.String()), revokedBy: Nullable(Type.String()),
  status: Type.String(),
});
const admin = { security: [{ bearer: [] }], tags: ['admin'] };
const withAuth = { ...errorResponses, 401: Type.Ref('Error') };
const noBatch = () => new ApiError(404, 'batch_not_found', { en: 'There is no such invitation batch.', fr: "Ce lot d'invitations n'existe pas." });

export const adminRolloutRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string; publicUrl: string }> = async (app, { pool, adminToken, publicUrl }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // An administrator's session (with its CSRF token) or the administrator token; audited either way.
  app.addHook('preHandler', async (req) => {
    await authorize(req, pool, adminToken, (req.routeOptions.url ?? '').includes('/invitation') ? 'invitations.manage' : 'rollout.manage', {});
  });
  const knownCohorts = async (cohorts: string[] | null) => {
    const rules = (await currentRollout(pool)).rules;
    const unknown = (cohorts ?? []).find((c) => !rules?.cohorts.some((k) => k.id === c));
    if (unknown) throw new ApiError(400, 'invalid_input', { en: `The roll-out has no cohort "${unknown}".`, fr: `Le déploiement n'a pas de cohorte « ${unknown} ».` }, 'cohorts');
  };

  r.put('/api/v1/admin/rollout', {
    schema: {
      ...admin, operationId: 'updateRollout', summary: 'Replace the roll-out rules: a new version, attributed, refused if someone changed them since basedOn',
      body: Type.Object({ rules: Type.Unknown({ description: 'The roll-out document (see getRollout)' }), basedOn: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }), changedBy: Actor, note: Type.Optional(Type.String({ maxLength: 500 })) }),
      response: { 200: Type.Object({ version: Type.Integer() }), 409: Type.Ref('Error'), ...withAuth },
    },
  }, async (req) => {
    try {
      return { version: (await updateRollout(pool, req.body.rules, req.body.changedBy, req.body.note ?? null, req.body.basedOn)).version };
    } catch (err) {
      if (!(err instanceof RolloutConflict)) throw err;
      throw new ApiError(409, 'rollout_changed', {
        en: `The roll-out changed since version ${req.body.basedOn}: reload it and apply your change again.`,
        fr: `Le déploiement a changé depuis la version ${req.body.basedOn} : rechargez-le et refaites votre modification.`,
      }, 'basedOn', { current: (await currentRollout(pool)).version });
    }
  });

  r.post('/api/v1/admin/rollout/validate', {
    schema: {
      ...admin, operationId: 'validateRollout', summary: 'Check a roll-out document without storing it',
      body: Type.Object({ rules: Type.Unknown() }), response: { 200: Type.Object({ ok: Type.Boolean() }), ...withAuth },
    },
  }, async (req) => {
    await validateRollout(pool, req.body.rules, 'rules');
    return { ok: true };
  });

  r.get('/api/v1/admin/rollout/versions', {
    schema: {
      ...admin, operationId: 'listRolloutVersions', summary: 'Every version of the roll-out: who changed it, when, why',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ version: Type.Integer(), createdAt: Type.String(), createdBy: Type.String(), note: Nullable(Type.String()) })) }), ...withAuth },
    },
  }, async () => ({ items: await rolloutHistory(pool) }));

  // A clinic, or one session of it, may serve only some cohorts (a hospital's staff clinic or morning).
  const restrictions = [
    { what: 'clinics', operationId: 'setClinicCohorts', summary: 'Restrict a clinic to some roll-out cohorts (null: serves everyone)',
      set: setClinicCohorts, missing: { en: 'There is no such clinic.', fr: "Cette clinique n'existe pas." } },
    { what: 'sessions', operationId: 'setSessionCohorts', summary: "Restrict one session to some roll-out cohorts (null: only the clinic's rule applies)",
      set: setSessionCohorts, missing: { en: 'There is no such session.', fr: "Cette séance n'existe pas." } },
  ] as const;
  for (const x of restrictions) {
    r.put(`/api/v1/admin/${x.what}/:id/cohorts`, {
      schema: {
        ...admin, operationId: x.operationId, summary: x.summary,
        params: Type.Object({ id: Id() }),
        body: Type.Object({ cohorts: Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, uniqueItems: true })) }),
        response: { 200: Type.Object({ id: Type.Integer(), cohorts: Nullable(Type.Array(Type.String())) }), ...withAuth },
      },
    }, async (req) => {
      await knownCohorts(req.body.cohorts);
      if (!(await x.set(pool, req.params.id, req.body.cohorts))) throw new ApiError(404, `${x.what.slice(0, -1)}_not_found`, x.missing);
      forgetCachedReferenceData(pool);
      return { id: req.params.id, cohorts: req.body.cohorts };
    });
  }

  r.post('/api/v1/admin/dose-records/import', {
    bodyLimit: LARGE_BODY_BYTES, // 5,000 rows run to about 1.2 MB, past Fastify's 1 MiB default
    schema: {
      ...admin, operationId: 'importDoseRecords',
      summary: 'Import doses given elsewhere (a registry export): good rows are stored, bad ones reported by row and field',
      body: Type.Object({
        rows: Type.Array(Type.Object({
          identifier: Type.String({ minLength: 1, maxLength: 40 }), dateOfBirth: Day,
          givenName: PersonName(), familyName: PersonName(),
          doses: Type.Array(Type.Object({ date: Day, product: Type.String({ minLength: 1, maxLength: 40 }) }), { minItems: 1, maxItems: 10 }),
        }), { minItems: 1, maxItems: 5000 }),
      }),
      response: {
        200: Type.Object({
          people: Type.Integer(), dosesAdded: Type.Integer(), dosesAlreadyRecorded: Type.Integer(),
          problems: Type.Array(Type.Object({ row: Type.Integer(), field: Type.String(), message: Type.Object({ en: Type.String(), fr: Type.String() }) })),
        }),
        ...withAuth,
      },
    },
  }, async (req) => importDoseRecords(pool, req.body.rows));

  r.post('/api/v1/admin/invitation-batches', {
    schema: {
      ...admin, operationId: 'createInvitationBatch', summary: 'Create N single-use invitation codes for a region and a cohort',
      body: Type.Object({
        region: Type.String({ minLength: 1, maxLength: 40 }), cohort: Type.String({ minLength: 1, maxLength: 40 }),
        size: Type.Integer({ minimum: 1, maximum: 100000 }), expiresAt: Type.String({ format: 'date-time' }), createdBy: Actor,
      }),
      response: { 201: Batch, ...withAuth },
    },
  }, async (req, reply) => reply.status(201).send(await invitations.createBatch(pool, req.body)));

  r.get('/api/v1/admin/invitation-batches', {
    schema: { ...admin, operationId: 'listInvitationBatches', summary: 'Invitation batches with how many codes were redeemed', response: { 200: Type.Object({ items: Type.Array(Batch) }), ...withAuth } },
  }, async () => ({ items: await invitations.listBatches(pool) }));

  const BatchId = Type.Object({ batchId: Id() });
  r.get('/api/v1/admin/invitation-batches/:batchId', {
    schema: { ...admin, operationId: 'getInvitationBatch', summary: 'One invitation batch', params: BatchId, response: { 200: Batch, ...withAuth } },
  }, async (req) => (await invitations.getBatch(pool, req.params.batchId)) ?? Promise.reject(noBatch()));

  r.post('/api/v1/admin/invitation-batches/:batchId/revoke', {
    schema: {
      ...admin, operationId: 'revokeInvitationBatch', summary: 'Revoke a batch: its unused codes stop working (redeemed ones keep their bookings)',
      params: BatchId, body: Type.Object({ revokedBy: Actor }), response: { 200: Batch, ...withAuth },
    },
  }, async (req) => (await invitations.revokeBatch(pool, req.params.batchId, req.body.revokedBy)) ?? Promise.reject(noBatch()));

  r.post('/api/v1/admin/invitation-batches/:batchId/recipients', {
    bodyLimit: LARGE_BODY_BYTES, // 10,000 recipients with addresses run to about 3 MB
    schema: {
      ...admin, operationId: 'sendInvitations', summary: 'Invites named people: each gets an unused code of the batch, sent by e-mail, SMS or letter in their language',
      params: BatchId,
      body: Type.Object({
        recipients: Type.Array(Type.Object({
          givenName: PersonName(), familyName: PersonName(),
          language: Type.String({ pattern: '^[a-z]{2}$', description: 'en or fr (a language of the jurisdiction)' }),
          email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })), mobile: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{7,20}$' })),
          address: Type.Optional(Type.Object({ line: Type.String({ minLength: 1, maxLength: 200 }), city: Type.String({ minLength: 1, maxLength: 100 }), postalCode: Type.String({ minLength: 3, maxLength: 12 }) })),
        }), { minItems: 1, maxItems: 10000 }),
      }),
      response: { 201: Type.Object({ batchId: Type.Integer(), codes: Type.Array(Type.String()) }), ...withAuth },
    },
  }, async (req, reply) => {
    const sent = await messages.sendInvitations(pool, req.params.batchId, req.body.recipients, (await jurisdictionSettings(pool)).languages);
    if (!sent) throw noBatch();
    return reply.status(201).send(sent);
  });

  r.get('/api/v1/admin/invitation-batches/:batchId/codes.csv', {
    schema: {
      ...admin, operationId: 'exportInvitationCsv', summary: 'The unused codes of a batch as CSV, for mail merge', params: BatchId,
      response: { 200: fileResponse('text/csv', 'The codes, as CSV with a header row'), ...withAuth },
    },
  }, async (req, reply) => {
    const csv = await invitations.batchCsv(pool, req.params.batchId, publicUrl);
    if (csv === undefined) throw noBatch();
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="invitations-${req.params.batchId}.csv"`).send(csv);
  });

  r.get('/api/v1/admin/invitation-batches/:batchId/letters.pdf', {
    schema: {
      ...admin, operationId: 'exportInvitationLetters', summary: 'Printable letters (one a page, with a QR code) for the unused codes of a batch', params: BatchId,
      response: { 200: fileResponse('application/pdf', 'The letters, as a PDF document', true), ...withAuth },
    },
  }, async (req, reply) => {
    const pdf = await invitations.batchPdf(pool, req.params.batchId, publicUrl);
    if (pdf === undefined) throw noBatch();
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="invitations-${req.params.batchId}.pdf"`).send(pdf);
  });
};
