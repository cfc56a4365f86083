import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { smsReply } from '../../../services/message-service.js';
import { ApiError } from '../../errors.js';
import { errorResponses } from '../../schemas.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Replies to our SMS, posted by the provider: "STOP" (or ARRÊT) opts the number out of every SMS not yet sent. */
export const smsReplyRoutes: FastifyPluginAsync<{ pool: pg.Pool; token?: string; countryCode: string }> = async (app, { pool, token, countryCode }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post('/api/v1/sms/replies', {
    schema: {
      operationId: 'receiveSmsReply', tags: ['notifications'], summary: 'An SMS reply from the provider; STOP or ARRÊT opts the number out',
      description: 'With VAXBOOK_SMS_TOKEN set, the provider sends it as a bearer token.',
      body: Type.Object({ from: Type.String({ minLength: 3, maxLength: 30 }), text: Type.String({ maxLength: 1600 }) }),
      response: { 200: Type.Object({ optedOut: Type.Boolean() }), 401: Type.Ref('Error'), ...errorResponses },
    },
  }, async (req) => {
    if (token && !same(req.headers.authorization ?? '', `Bearer ${token}`)) {
      throw new ApiError(401, 'unauthorized', { en: 'This address is for the SMS provider: the bearer token is missing or wrong.', fr: "Cette adresse est réservée au fournisseur SMS : le jeton est absent ou incorrect." });
    }
    return { optedOut: await smsReply(pool, req.body.from, req.body.text, countryCode) };
  });
};
