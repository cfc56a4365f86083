import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/** Whether the request carries the admin bearer token (compared in constant time). */
export function hasAdminToken(req: FastifyRequest, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Until staff accounts exist, the admin API is guarded by one bearer token (VAXBOOK_ADMIN_TOKEN). */
export function requireAdmin(req: FastifyRequest, token: string): void {
  if (!hasAdminToken(req, token)) {
    throw new ApiError(401, 'unauthorized', {
      en: 'This operation needs the administrator token (Authorization: Bearer …).',
      fr: "Cette opération exige le jeton d'administration (Authorization: Bearer …).",
    });
  }
}
