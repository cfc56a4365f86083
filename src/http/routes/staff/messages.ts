import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { regionIdOf } from '../../../services/clinic-admin-service.js';
import * as messages from '../../../services/message-service.js';
import { ApiError } from '../../errors.js';
import { BigId, errorResponses, fileResponse, Id, Nullable } from '../../schemas.js';
import { authorize, signInFirst } from '../../staff-auth.js';

const Status = Type.Union(['queued', 'sending', 'sent', 'failed', 'dead', 'suppressed'].map((s) => Type.Literal(s)));
const Kind = Type.Union(['booking_confirmation', 'cancellation', 'reschedule', 'clinic_day_cancelled', 'reminder', 'invitation'].map((s) => Type.Literal(s)));
const Channel = Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('letter')]);
const RegionCode = Type.String({ pattern: '^[A-Z0-9-]{2,16}$', description: 'a region code, e.g. OTT' });

const Message = Type.Object({
  id: Type.Integer(), kind: Type.String(), channel: Type.String(), status: Type.String(), attempts: Type.Integer(),
  lastError: Nullable(Type.String({ description: 'why the last attempt failed (addresses and numbers masked)' })),
  createdAt: Type.String(), nextAttemptAt: Nullable(Type.String()), sentAt: Nullable(Type.String()),
  confirmationCode: Nullable(Type.String()), invitationCode: Nullable(Type.String()), region: Nullable(Type.String()), letterBatchId: Nullable(Type.Integer()),
});
const LetterBatch = Type.Object({ id: Type.Integer(), region: Type.String(), regionName: Type.String(), letters: Type.Integer(), createdBy: Type.String(), createdAt: Type.String() });

/**
 * Messages for administrators (everywhere) and region managers (their
 * regions): status, retry of dead letters, the print batches of letters, and
 * invitations addressed to named people.
 */
export const staffMessageRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string; publicUrl: string }> = async (app, { pool, adminToken, publicUrl }) => {
  signInFirst(app, pool, adminToken);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  /** The region asked for (authorized there), or the whole jurisdiction (administrators only). */
  const scoped = async (req: FastifyRequest, region: string | undefined, detail: Record<string, unknown> = {}) => {
    if (!region) return { regionIds: undefined, caller: await authorize(req, pool, adminToken, 'messages.manage', {}, { detail }) };
    const regionId = await regionIdOf(pool, region, 'region');
    return { regionIds: [regionId], caller: await authorize(req, pool, adminToken, 'messages.manage', { regionId }, { detail: { ...detail, region } }) };
  };
  const scope = async (req: FastifyRequest, region: string | undefined, detail: Record<string, unknown> = {}) => (await scoped(req, region, detail)).regionIds;

  r.get('/api/v1/staff/messages', {
    schema: {
      operationId: 'listMessages', tags: ['staff'], summary: 'Messages, newest first: kind, channel, status, attempts and last error (no content, no contact details)',
      querystring: Type.Object({
        status: Type.Optional(Status), kind: Type.Optional(Kind), channel: Type.Optional(Channel), region: Type.Optional(RegionCode),
        confirmationCode: Type.Optional(Type.String({ maxLength: 20 })), before: Type.Optional(BigId('the nextBefore of the previous page')),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
      }),
      response: { 200: Type.Object({ messages: Type.Array(Message), nextBefore: Nullable(Type.Integer()) }), ...errorResponses },
    },
  }, async (req) => {
    const q = req.query;
    const regionIds = await scope(req, q.region);
    return messages.listMessages(pool, { status: q.status as never, kind: q.kind, channel: q.channel, regionIds, confirmationCode: q.confirmationCode?.toUpperCase(), beforeId: q.before, limit: q.limit });
  });

  r.get('/api/v1/staff/messages/summary', {
    schema: {
      operationId: 'getMessageSummary', tags: ['staff'], summary: 'How many messages are queued, sent, failing or dead, by channel, and the oldest still waiting',
      querystring: Type.Object({ region: Type.Optional(RegionCode) }),
      response: { 200: Type.Object({ counts: Type.Array(Type.Object({ channel: Type.String(), status: Type.String(), count: Type.Integer() })), oldestWaitingAt: Nullable(Type.String()) }), ...errorResponses },
    },
  }, async (req) => messages.messageSummary(pool, await scope(req, req.query.region)));

  r.post('/api/v1/staff/messages/:id/retry', {
    schema: {
      operationId: 'retryMessage', tags: ['staff'], summary: 'Sends a dead or failed message again now, with its attempts reset',
      params: Type.Object({ id: BigId() }),
      response: { 200: Type.Object({ retried: Type.Array(Type.Integer()) }), 409: Type.Ref('Error'), ...errorResponses },
    },
  }, async (req) => {
    const m = await messages.messageRegion(pool, req.params.id);
    await authorize(req, pool, adminToken, 'messages.manage', m?.region_id ? { regionId: m.region_id } : {}, { detail: { message: req.params.id } });
    if (!m) throw new ApiError(404, 'message_not_found', { en: 'There is no such message.', fr: "Ce message n'existe pas." });
    const r = await messages.retryMessage(pool, req.params.id);
    if ('notRetryable' in r) throw new ApiError(409, 'message_not_retryable', { en: `This message is ${r.notRetryable}: only dead or failed messages are sent again.`, fr: `Ce message est à l'état ${r.notRetryable} : seuls les messages morts ou en échec sont renvoyés.` });
    return r;
  });

  r.post('/api/v1/staff/messages/retry-dead', {
    schema: {
      operationId: 'retryDeadMessages', tags: ['staff'], summary: 'Sends every dead message again (of a region, of a kind), e.g. after a provider outage',
      body: Type.Object({ region: Type.Optional(RegionCode), kind: Type.Optional(Kind) }),
      response: { 200: Type.Object({ retried: Type.Array(Type.Integer()) }), ...errorResponses },
    },
  }, async (req) => ({ retried: await messages.retryDeadMessages(pool, await scope(req, req.body.region, { kind: req.body.kind }), req.body.kind) }));

  r.get('/api/v1/staff/letter-batches', {
    schema: {
      operationId: 'listLetterBatches', tags: ['staff'], summary: 'Print batches of letters, newest first',
      querystring: Type.Object({ region: Type.Optional(RegionCode) }),
      response: { 200: Type.Object({ batches: Type.Array(LetterBatch) }), ...errorResponses },
    },
  }, async (req) => ({ batches: await messages.listLetterBatches(pool, await scope(req, req.query.region)) }));

  r.post('/api/v1/staff/letter-batches', {
    schema: {
      operationId: 'createLetterBatches', tags: ['staff'], summary: 'Puts every letter waiting into a print batch, one per region (or for one region); the daily run does the same at 06:00',
      body: Type.Object({ region: Type.Optional(RegionCode) }),
      response: { 201: Type.Object({ batches: Type.Array(LetterBatch) }), ...errorResponses },
    },
  }, async (req, reply) => {
    const { regionIds, caller } = await scoped(req, req.body.region);
    return reply.code(201).send({ batches: await messages.createLetterBatches(pool, regionIds ?? 'all', caller.email) });
  });

  const batchFile = async (req: FastifyRequest<{ Params: { id: number } }>) => {
    const b = await messages.letterBatchById(pool, req.params.id);
    await authorize(req, pool, adminToken, 'messages.manage', b ? { regionId: b.region_id } : {}, { detail: { letterBatch: req.params.id } });
    if (!b) throw new ApiError(404, 'letter_batch_not_found', { en: 'There is no such letter batch.', fr: "Ce lot de lettres n'existe pas." });
    return b;
  };
  r.get('/api/v1/staff/letter-batches/:id/letters.pdf', {
    schema: {
      operationId: 'getLetterBatchPdf', tags: ['staff'], summary: 'The letters of a batch: one a page, address in the envelope window, code and QR code',
      params: Type.Object({ id: Id() }), response: { 200: fileResponse('application/pdf', 'The letters, as a PDF document', true), ...errorResponses },
    },
  }, async (req, reply) => {
    await batchFile(req);
    const pdf = (await messages.letterBatchPdf(pool, req.params.id, publicUrl))!;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="letters-${req.params.id}.pdf"`).send(pdf);
  });
  r.get('/api/v1/staff/letter-batches/:id/manifest.csv', {
    schema: {
      operationId: 'getLetterBatchManifest', tags: ['staff'], summary: 'The CSV manifest of a batch for the print house: one row per page',
      params: Type.Object({ id: Id() }), response: { 200: fileResponse('text/csv', 'The manifest, as CSV with a header row'), ...errorResponses },
    },
  }, async (req, reply) => {
    await batchFile(req);
    const csv = (await messages.letterBatchManifest(pool, req.params.id, publicUrl))!;
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="letters-${req.params.id}.csv"`).send(csv);
  });
};
