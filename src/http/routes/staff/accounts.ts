import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { searchAudit } from '../../../db/repositories/audit-repository.js';
import * as staff from '../../../services/staff-service.js';
import { ApiError } from '../../errors.js';
import { BigId, errorResponses, Id, Nullable } from '../../schemas.js';
import { authorize, signInFirst } from '../../staff-auth.js';
import { StaffSchema } from './auth.js';

/** Staff accounts and the audit log: administrators only. */
export const staffAccountRoutes: FastifyPluginAsync<{ pool: pg.Pool; adminToken: string }> = async (app, { pool, adminToken }) => {
  signInFirst(app, pool, adminToken);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post('/api/v1/staff/accounts', {
    schema: {
      operationId: 'createStaffAccount', tags: ['staff'], summary: 'Creates a staff account with a role and its regions or clinics',
      body: Type.Object({
        email: Type.String({ maxLength: 200 }), displayName: Type.String({ maxLength: 120 }), role: Type.String({ maxLength: 40 }),
        password: Type.String({ maxLength: 200 }), regionIds: Type.Optional(Type.Array(Id(), { maxItems: 100 })),
        clinicIds: Type.Optional(Type.Array(Id(), { maxItems: 500 })),
      }),
      response: { 201: StaffSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const c = await authorize(req, pool, adminToken, 'staff.manage', {}, { detail: { email: req.body.email, role: req.body.role } });
    return reply.code(201).send(await staff.createStaff(pool, req.body, c.staffId));
  });

  r.get('/api/v1/staff/accounts', {
    schema: { operationId: 'listStaffAccounts', tags: ['staff'], summary: 'Every staff account', response: { 200: Type.Object({ items: Type.Array(StaffSchema) }), ...errorResponses } },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'staff.manage', {});
    return { items: await staff.listStaff(pool) };
  });

  r.post('/api/v1/staff/accounts/:id/disable', {
    schema: {
      operationId: 'disableStaffAccount', tags: ['staff'], summary: 'Disables an account and ends its sessions at once',
      params: Type.Object({ id: Id() }), response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (req, reply) => {
    await authorize(req, pool, adminToken, 'staff.manage', {}, { detail: { account: req.params.id } });
    if (!(await staff.disableStaff(pool, req.params.id))) throw new ApiError(404, 'not_found', { en: 'There is no such account.', fr: "Ce compte n'existe pas." });
    return reply.code(204).send(null);
  });

  r.get('/api/v1/staff/audit', {
    schema: {
      operationId: 'searchAuditLog', tags: ['staff'], summary: 'The audit log, newest first: who read or changed what, when, from where, and why',
      querystring: Type.Object({
        staffId: Type.Optional(Id()), action: Type.Optional(Type.String({ maxLength: 60 })), personId: Type.Optional(BigId()),
        bookingCode: Type.Optional(Type.String({ maxLength: 20 })), from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })), before: Type.Optional(BigId('an entry id: older entries only (paging)')),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
      }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Type.String(), at: Type.String(), staffId: Nullable(Type.Integer()), staffEmail: Nullable(Type.String()), role: Nullable(Type.String()),
            action: Type.String(), outcome: Type.String(), personId: Nullable(Type.String()), bookingCode: Nullable(Type.String()),
            clinicId: Nullable(Type.Integer()), regionId: Nullable(Type.Integer()), reason: Nullable(Type.String()), ip: Nullable(Type.String()),
            detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    await authorize(req, pool, adminToken, 'audit.read', {}, { detail: { query: req.query } });
    const q = req.query;
    const rows = await searchAudit(pool, { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });
    return {
      items: rows.map((x) => ({
        id: x.id, at: x.at.toISOString(), staffId: x.staff_id, staffEmail: x.staff_email, role: x.role, action: x.action, outcome: x.outcome,
        personId: x.person_id, bookingCode: x.booking_code, clinicId: x.clinic_id, regionId: x.region_id, reason: x.reason, ip: x.ip, detail: x.detail,
      })),
    };
  });
};
