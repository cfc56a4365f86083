import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/** Until staff accounts exist, the admin API is guarded by one bearer token (VAXBOOK_ADMIN_TOKEN). */
export function requireAdmin(req: FastifyRequest, token: string): void {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(401, 'unauthorized', {
      en: 'This operation needs the administrator token (Authorization: Bearer …).',
      fr: "Cette opération exige le jeton d'administration (Authorization: Bearer …).",
    });
  }
}
