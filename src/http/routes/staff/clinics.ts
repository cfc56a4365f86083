import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { getClinic, listClinics } from '../../../db/repositories/reference-repository.js';
import * as admin from '../../../services/clinic-admin-service.js';
import { ApiError } from '../../errors.js';
import { AccessibilityFeature, Clinic, errorResponses, Id } from '../../schemas.js';

const ClinicSchema = Type.Object(Clinic.properties); // the public shape; the shared $id belongs to the reference routes' scope
import { authorize, callerOf, signInFirst } from '../../staff-auth.js';
import { worksAt } from '../../../domain/staff-policy.js';
import { clinicView } from '../../../services/reference-service.js';

const Kind = Type.Union(['mass_site', 'pharmacy', 'hospital', 'primary_care', 'mobile'].map((k) => Type.Literal(k)));
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }), kind: Kind, street: Type.String({ minLength: 1, maxLength: 200 }), city: Type.String({ minLength: 1, maxLength: 100 }),
  postalCode: Type.String({ minLength: 3, maxLength: 10 }), latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }),
  phone: Type.Optional(Type.String({ maxLength: 40 })), languages: Type.Optional(Type.Array(Type.String({ maxLength: 5 }), { minItems: 1, maxItems: 10 })),
  accessibility: Type.Optional(Type.Array(AccessibilityFeature, { maxItems: 20 })), accessibilityNotes: Type.Optional(Type.String({ maxLength: 500 })),
};

/** Clinics, kept by administrators (anywhere) and region managers (in their regions). */
export const staffClinicAdminRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  signInFirst(app, pool, adminToken);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const regionOf = async (id: number) => {
    const c = await getClinic(pool, id);
    if (!c) throw new ApiError(404, 'clinic_not_found', { en: 'There is no such clinic.', fr: "Cette clinique n'existe pas." });
    return c;
  };

  r.get('/api/v1/staff/clinics', {
    schema: {
      operationId: 'listMyClinics', tags: ['staff'], summary: 'The clinics the signed-in staff member works with (all of them for administrators and agents)',
      response: { 200: Type.Object({ items: Type.Array(ClinicSchema) }), ...errorResponses },
    },
  }, async (req) => {
    const { actor } = await callerOf(req, pool, adminToken);
    const all = await listClinics(pool, { afterId: 0, limit: 100_000 });
    const mine = all.filter((c) => worksAt(actor, { id: c.id, regionId: c.region_id }));
    return { items: mine.map(clinicView) };
  });

  r.post('/api/v1/staff/clinics', {
    schema: {
      operationId: 'createClinic', tags: ['staff'], summary: 'Creates a clinic in a region',
      body: Type.Object({ regionCode: Type.String({ maxLength: 16 }), code: Type.String({ minLength: 1, maxLength: 40 }), timeZone: Type.Optional(Type.String({ maxLength: 60 })), ...Fields }),
      response: { 201: ClinicSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const regionId = await admin.regionIdOf(pool, req.body.regionCode);
    await authorize(req, pool, adminToken, 'clinic.create', { regionId }, { detail: { code: req.body.code } });
    const id = await admin.createClinic(pool, regionId, req.body);
    return reply.code(201).send(clinicView((await getClinic(pool, id))!));
  });

  r.patch('/api/v1/staff/clinics/:clinicId', {
    schema: {
      operationId: 'updateClinic', tags: ['staff'], summary: "Corrects a clinic's details (its code, region and time zone stay)",
      params: Type.Object({ clinicId: Id() }), body: Type.Partial(Type.Object(Fields)),
      response: { 200: ClinicSchema, ...errorResponses },
    },
  }, async (req) => {
    const c = await regionOf(req.params.clinicId);
    await authorize(req, pool, adminToken, 'clinic.update', { clinicId: c.id, regionId: c.region_id }, { detail: { fields: Object.keys(req.body) } });
    await admin.updateClinic(pool, c.id, req.body);
    return clinicView((await getClinic(pool, c.id))!);
  });

  r.post('/api/v1/staff/clinics/:clinicId/close', {
    schema: {
      operationId: 'closeClinic', tags: ['staff'], summary: 'Closes a clinic; refused while appointments are still to come there (cancel those days first)',
      params: Type.Object({ clinicId: Id() }), response: { 200: Type.Object({ closed: Type.Boolean() }), ...errorResponses, 409: Type.Ref('Error') },
    },
  }, async (req) => {
    const c = await regionOf(req.params.clinicId);
    await authorize(req, pool, adminToken, 'clinic.update', { clinicId: c.id, regionId: c.region_id }, { detail: { close: true } });
    const r = await admin.closeClinic(pool, c.id);
    if (!r.closed) {
      throw new ApiError(409, 'appointments_to_come', {
        en: `${r.upcoming} appointment(s) are still to come at this clinic: cancel those days first, so the people are moved or told.`,
        fr: `${r.upcoming} rendez-vous sont encore prévus dans cette clinique : annulez d'abord ces journées, pour que les personnes soient déplacées ou informées.`,
      });
    }
    return { closed: true };
  });
};
