import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { createRegion, updateRegion } from '../../../services/clinic-admin-service.js';
import { ApiError } from '../../errors.js';
import { errorResponses, Nullable } from '../../schemas.js';
import { authorize, signInFirst } from '../../staff-auth.js';

const Region = Type.Object({ code: Type.String(), name: Type.String(), nameFr: Nullable(Type.String()), latitude: Type.Number(), longitude: Type.Number() });
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }), nameFr: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }),
};

/** Regions (public-health units), kept by administrators: the roll-out opens by region. */
export const staffRegionRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  signInFirst(app, pool, adminToken);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post('/api/v1/staff/regions', {
    schema: {
      operationId: 'createRegion', tags: ['staff'], summary: 'Creates a region',
      body: Type.Object({ code: Type.String({ pattern: '^[A-Z0-9-]{2,16}$', description: '2 to 16 capital letters, digits or dashes' }), ...Fields }),
      response: { 201: Region, ...errorResponses },
    },
  }, async (req, reply) => {
    await authorize(req, pool, adminToken, 'region.manage', {}, { detail: { code: req.body.code } });
    return reply.code(201).send(await createRegion(pool, req.body));
  });
  r.patch('/api/v1/staff/regions/:code', {
    schema: {
      operationId: 'updateRegion', tags: ['staff'], summary: "Corrects a region's names or centre (its code stays: the roll-out names it)",
      params: Type.Object({ code: Type.String({ maxLength: 16 }) }), body: Type.Partial(Type.Object(Fields)),
      response: { 200: Region, ...errorResponses },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'region.manage', {}, { detail: { code: req.params.code } });
    const region = await updateRegion(pool, req.params.code, req.body);
    if (!region) throw new ApiError(404, 'region_not_found', { en: 'There is no such region.', fr: "Cette région n'existe pas." });
    return region;
  });
};
