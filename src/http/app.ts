import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { documentDefaultsAsOptional } from './openapi-defaults.js';
import type pg from 'pg';
import { ApiError, clientErrorHandler, ErrorBody, errorHandler, KEY_REUSED, notFoundHandler } from './errors.js';
import { bodiesAsSent, datesPostgresCanStore, refuseDeepJson, refuseUnstorableText } from './input-guards.js';
import { keyAlreadyAnswered, replayRepeatedRequests } from './request-idempotency.js';
import { routeMethods } from './method-not-allowed.js';
import { registerMessageMetrics, registerMetrics, registerStatusMetrics } from './metrics.js';
import { serviceStatus } from '../services/status-service.js';
import { messageSummary } from '../services/message-service.js';
import { registerPortal } from './portal.js';
import { DEFAULT_PORTAL_SETTINGS, portalSettingsRoutes, type PortalSettings } from './routes/public/portal-settings.js';
import { eligibilityRoutes } from './routes/public/eligibility.js';
import { adminRolloutRoutes } from './routes/admin/rollout.js';
import type { HoldLimits, LookupLimits } from './lookup-limits.js';
import { systemRoutes } from './routes/system.js';
import { referenceRoutes } from './routes/public/reference.js';
import { bookingRoutes } from './routes/public/bookings.js';
import { availabilityRoutes } from './routes/public/availability.js';
import { adminReconcileRoutes } from './routes/admin/reconcile.js';
import cookie from '@fastify/cookie';
import type { CookieSettings } from './staff-auth.js';
import { staffAuthRoutes } from './routes/staff/auth.js';
import { staffAccountRoutes } from './routes/staff/accounts.js';
import { staffCallCentreRoutes } from './routes/staff/call-centre.js';
import { staffClinicRoutes } from './routes/staff/clinic.js';
import { staffClinicDayRoutes } from './routes/staff/clinic-days.js';
import { staffClinicAdminRoutes } from './routes/staff/clinics.js';
import { staffRegionRoutes } from './routes/staff/regions.js';
import { staffMessageRoutes } from './routes/staff/messages.js';
import { smsReplyRoutes } from './routes/public/sms-replies.js';

export interface AppOptions {
  pool: pg.Pool;
  logLevel?: string;
  /** A pino destination for tests; defaults to stdout. */
  logStream?: NodeJS.WritableStream;
  /** Bearer token of the admin API; a random one when not given. */
  adminToken?: string;
  /** How long a hold keeps its slots. */
  holdMinutes?: number;
  /** The built portal (default web/dist); the API alone when it is not there. */
  portalDir?: string;
  /** Branding and map tiles of the portal. */
  portalSettings?: PortalSettings;
  /** The portal's address, printed on invitation letters. */
  publicUrl?: string;
  /** Replies to our SMS (STOP): the provider's shared secret, and the calling code of numbers without one. */
  smsReplies?: { token?: string; countryCode: string };
  /** Throttling of booking look-ups by code + date of birth. */
  lookupLimits?: LookupLimits;
  /** Places one client address may hold per window. */
  holdLimits?: HoldLimits;
  /** The staff session cookie (Secure by default). */
  staffCookies?: CookieSettings;
  /** Staff sign-in attempts per client address and minute. */
  staffLoginsPerMinute?: number;
  /** Proxies whose X-Forwarded-For names the client (Fastify's trustProxy); none by default. */
  trustProxy?: boolean | number | string;
}

// Headers that identify a person or a session never reach the logs.
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]'];

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      redact: REDACT,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      serializers: {
        // The route, not the URL: query strings and path parameters can carry confirmation codes and dates of birth.
        req: (req: { method: string; url: string; id: string; routeOptions?: { url?: string } }) =>
          ({ method: req.method, path: req.routeOptions?.url ?? req.url.split('?')[0], id: req.id }),
      },
    },
    // Errors met before routing (a path that cannot be decoded) are answered like every other error.
    frameworkErrors: (err, req, reply) => errorHandler(err as FastifyError, req, reply),
    clientErrorHandler,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false }, onCreate: datesPostgresCanStore },
    // A query string or path carries only text, so its numbers and lists are read from text; a JSON body says its
    // types itself, so it is taken as sent: `"person": null` or `true` is refused, never read as person 0 or 1.
    schemaController: { compilersFactory: { buildValidator: bodiesAsSent as never } }, // typed in input-guards (the package's declarations differ)
    // A number of proxies is trusted hop by hop, as proxy-addr counts them (Fastify's types take only the function).
    trustProxy: typeof opts.trustProxy === 'number' ? ((hops: number) => (_address: string, hop: number) => hop < hops)(opts.trustProxy) : opts.trustProxy ?? false,
  });
  app.addHook('onSend', async (req, reply) => { reply.header('x-request-id', req.id); });
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const unread = !!err.validation || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY';
    if (unread && await keyAlreadyAnswered(opts.pool, req).catch(() => false)) {
      return errorHandler(new ApiError(422, 'idempotency_key_reused', KEY_REUSED, 'idempotency-key') as unknown as FastifyError, req, reply);
    }
    return errorHandler(err, req, reply);
  });
  const methodsAt = routeMethods(app); // before any route, to see them all
  app.setNotFoundHandler((req, reply) => notFoundHandler(req, reply, methodsAt(req.url.split('?')[0]!)));
  refuseDeepJson(app);
  refuseUnstorableText(app);
  replayRepeatedRequests(app, opts.pool);
  app.addSchema(ErrorBody);
  await app.register(cookie); // before any route: staff routes read the session cookie

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'vaxbook API', version: '1', description: 'Vaccination appointment booking: one API for the public portal, the call centre, clinics and administrators.' },
      components: { securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The administrator token (VAXBOOK_ADMIN_TOKEN)' },
        staffSession: { type: 'apiKey', in: 'cookie', name: 'vaxbook_staff', description: 'The staff session, set by staffLogin' },
        csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The csrfToken staffLogin answers; required with the session cookie on every change' },
      } },
      tags: [
        { name: 'system', description: 'Health, readiness and metrics' },
        { name: 'reference', description: 'Jurisdiction, regions, clinics and products' },
        { name: 'booking', description: 'Availability, holds, bookings, look-up, cancellation and rescheduling' },
        { name: 'admin', description: 'Operations for administrators' },
        { name: 'staff', description: 'Staff sign-in, accounts and the audit log (session cookie + X-CSRF-Token, or the administrator token)' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
    transform: documentDefaultsAsOptional,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = registerMetrics(app);
  registerMessageMetrics(metrics, () => messageSummary(opts.pool));
  registerStatusMetrics(metrics, () => serviceStatus(opts.pool));
  await app.register(systemRoutes, { pool: opts.pool, metrics });
  await app.register(referenceRoutes, { pool: opts.pool });
  const adminToken = opts.adminToken ?? randomUUID();
  await app.register(bookingRoutes, { pool: opts.pool, holdMinutes: opts.holdMinutes ?? 10, lookupLimits: opts.lookupLimits, holdLimits: opts.holdLimits, adminToken });
  await app.register(availabilityRoutes, { pool: opts.pool });
  await app.register(eligibilityRoutes, { pool: opts.pool });
  await app.register(portalSettingsRoutes, { pool: opts.pool, settings: opts.portalSettings ?? DEFAULT_PORTAL_SETTINGS });
  await app.register(adminReconcileRoutes, { pool: opts.pool, adminToken });
  await app.register(adminRolloutRoutes, { pool: opts.pool, adminToken, publicUrl: opts.publicUrl ?? 'http://127.0.0.1:3000/' });

  const staffCookies = opts.staffCookies ?? { secure: true };
  await app.register(staffAuthRoutes, { pool: opts.pool, adminToken, cookies: staffCookies, loginsPerMinute: opts.staffLoginsPerMinute });
  await app.register(staffAccountRoutes, { pool: opts.pool, adminToken });
  await app.register(staffCallCentreRoutes, { pool: opts.pool, adminToken });
  await app.register(staffClinicRoutes, { pool: opts.pool, adminToken });
  await app.register(staffClinicDayRoutes, { pool: opts.pool, adminToken });
  await app.register(staffClinicAdminRoutes, { pool: opts.pool, adminToken });
  await app.register(staffRegionRoutes, { pool: opts.pool, adminToken });
  await app.register(staffMessageRoutes, { pool: opts.pool, adminToken, publicUrl: opts.publicUrl ?? 'http://127.0.0.1:3000/' });
  await app.register(smsReplyRoutes, { pool: opts.pool, token: opts.smsReplies?.token, countryCode: opts.smsReplies?.countryCode ?? '1' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The front door is the portal when it is built (npm run build), else the API documentation.
  if (!(await registerPortal(app, opts.portalDir))) app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/docs'));
  return app;
}
