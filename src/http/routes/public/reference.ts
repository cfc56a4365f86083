import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import * as reference from '../../../services/reference-service.js';
import { ApiError } from '../../errors.js';
import { Clinic, errorResponses, Id, Nullable } from '../../schemas.js';

const ClinicKind = Type.Union(['mass_site', 'pharmacy', 'hospital', 'primary_care', 'mobile'].map((k) => Type.Literal(k)));

const Product = Type.Object({
  code: Type.String(), name: Type.String(), manufacturer: Type.String(), cvx: Type.String(),
  minAgeMonths: Type.Integer(), maxAgeMonths: Nullable(Type.Integer()), dosesPerVial: Type.Integer(), seriesDoses: Type.Integer(),
  intervals: Type.Array(Type.Object({ afterDose: Type.Integer(), minDays: Type.Integer(), recommendedDays: Type.Integer(), maxDays: Nullable(Type.Integer()) })),
  booster: Nullable(Type.Object({ minDays: Type.Integer(), minAgeMonths: Type.Integer() })),
  interchangeableGroup: Nullable(Type.String()),
});

export const referenceRoutes: FastifyPluginAsync<{ pool: pg.Pool }> = async (app, { pool }) => {
  app.addSchema(Clinic);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/v1/jurisdiction', {
    schema: {
      operationId: 'getJurisdiction', tags: ['reference'], summary: 'The jurisdiction this deployment serves',
      response: {
        200: Type.Object({ name: Type.String(), languages: Type.Array(Type.String()), defaultLanguage: Type.String(), timeZone: Type.String(), identifierScheme: Type.String() }),
        ...errorResponses,
      },
    },
  }, async () => {
    const j = await reference.jurisdiction(pool);
    if (!j) throw new ApiError(404, 'not_configured', { en: 'No jurisdiction is configured yet.', fr: "Aucune juridiction n'est encore configurée." });
    return j;
  });

  r.get('/api/v1/regions', {
    schema: {
      operationId: 'listRegions', tags: ['reference'], summary: 'Regions (public-health units)',
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({
          code: Type.String(), name: Type.String(), nameFr: Nullable(Type.String()), officeTown: Nullable(Type.String()),
          latitude: Type.Number(), longitude: Type.Number(), population: Nullable(Type.Integer()),
        })) }),
        ...errorResponses,
      },
    },
  }, async () => ({ items: await reference.regions(pool) }));

  r.get('/api/v1/clinics', {
    schema: {
      operationId: 'listClinics', tags: ['reference'], summary: 'Clinics, a page at a time',
      querystring: Type.Object({
        region: Type.Optional(Type.String({ pattern: '^[A-Z0-9-]{2,16}$', description: 'Region code, e.g. TOR' })),
        kind: Type.Optional(ClinicKind),
        cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
      }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Clinic')), nextCursor: Type.Optional(Type.String()) }), ...errorResponses },
    },
  }, async (req) => reference.clinics(pool, req.query));

  r.get('/api/v1/clinics/:clinicId', {
    schema: {
      operationId: 'getClinic', tags: ['reference'], summary: 'One clinic',
      params: Type.Object({ clinicId: Id() }),
      response: { 200: Type.Ref('Clinic'), ...errorResponses },
    },
  }, async (req) => {
    const c = await reference.clinicById(pool, req.params.clinicId);
    if (!c) throw new ApiError(404, 'clinic_not_found', { en: `There is no clinic ${req.params.clinicId}.`, fr: `Il n'existe pas de clinique ${req.params.clinicId}.` }, 'clinicId');
    return c;
  });

  r.get('/api/v1/products', {
    schema: {
      operationId: 'listProducts', tags: ['reference'], summary: 'Vaccine products and their dose series',
      response: { 200: Type.Object({ items: Type.Array(Product) }), ...errorResponses },
    },
  }, async () => ({ items: await reference.products(pool) }));
};
