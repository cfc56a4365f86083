import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type pg from 'pg';
import { claimRequestKey, keyFitsTarget, keyHoldsAnswer, settleRequestKey } from '../services/idempotency.js';
import { ApiError, KEY_REUSED } from './errors.js';
import { IdempotencyHeaders } from './schemas.js';
import { cookieToken } from './staff-auth.js';

/**
 * Operations that store their answer in their own transaction (services/idempotency.ts `once`), with the name it is
 * stored under (the portal's and the call centre's share one per effect); releaseHold stores none: repeating it changes nothing.
 */
const ANSWERED_IN_THEIR_TRANSACTION = new Map<string, string | null>([
  ['createHold', 'createHold'], ['releaseHold', null], ['createBooking', 'createBooking'], ['bookForCaller', 'createBooking'],
  ['cancelBooking', 'cancelBooking'], ['cancelForCaller', 'cancelBooking'], ['rescheduleBooking', 'rescheduleBooking'], ['rescheduleForCaller', 'rescheduleBooking'],
]);
/** POSTs that change nothing, and the staff session's own operations (a replay could not set or clear its cookie). */
const NOT_REPLAYED = new Set(['getBooking', 'searchAvailability', 'checkEligibility', 'checkIdentifier', 'validateRollout', 'findPerson',
  'staffLogin', 'staffLogout', 'startTotpEnrolment', 'confirmTotpEnrolment']);

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Claim { operation: string; key: string }
const claims = new WeakMap<FastifyRequest, Claim>();

/** Keys are per caller: another account's key, even the same string, is another key and never sees this answer. */
function callerOf(req: FastifyRequest): string {
  const credential = req.headers.authorization ?? cookieToken(req);
  return credential ? createHash('sha256').update(credential).digest('base64url').slice(0, 22) : 'public';
}

/**
 * Gives every other state-changing operation Idempotency-Key (Stripe semantics): the first request with a key
 * runs, a repeat with the same request replays its answer (header `Idempotent-Replayed: true`), a repeat with a
 * different request is refused (422), a concurrent repeat waits for the first answer. Register before the routes.
 */
export function replayRepeatedRequests(app: FastifyInstance, pool: pg.Pool): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const operationId = (route.schema as { operationId?: string } | undefined)?.operationId;
    const methods = [route.method].flat();
    if (!operationId || NOT_REPLAYED.has(operationId) || !methods.some((m) => CHANGING.has(m))) return;
    if (ANSWERED_IN_THEIR_TRANSACTION.has(operationId)) {
      route.preHandler = [keyUsedOnce(pool, operationId), ...[route.preHandler ?? []].flat()];
      return;
    }
    const schema = (route.schema ??= {}) as { headers?: { properties?: Record<string, unknown> } };
    schema.headers = { ...IdempotencyHeaders, ...schema.headers, properties: { ...schema.headers?.properties, ...IdempotencyHeaders.properties } };
    route.preHandler = [keyUsedOnce(pool, operationId), claimKey(pool, operationId), ...[route.preHandler ?? []].flat()];
    route.onSend = [storeAnswer(pool), ...[route.onSend ?? []].flat()];
  });
}

/** A key sent before to another operation, or to this one on another resource (another hold's URL), is a reuse. */
function keyUsedOnce(pool: pg.Pool, operationId: string) {
  return async (req: FastifyRequest) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string') return;
    const target = `${operationId} ${req.url.split('?')[0]}`;
    if (!(await keyFitsTarget(pool, callerOf(req), key, target))) throw new ApiError(422, 'idempotency_key_reused', KEY_REUSED, 'idempotency-key');
  };
}

function claimKey(pool: pg.Pool, operationId: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string') return;
    const operation = `${operationId}@${callerOf(req)}`;
    const claim = await claimRequestKey(pool, operation, key, { params: req.params, query: req.query, body: req.body });
    switch (claim.kind) {
      case 'owned':
        claims.set(req, { operation, key });
        return;
      case 'replay':
        reply.header('idempotent-replayed', 'true').status(claim.statusCode);
        return reply.send(claim.result ?? undefined);
      case 'reused':
        throw new ApiError(422, 'idempotency_key_reused', KEY_REUSED, 'idempotency-key');
      case 'busy':
        reply.header('retry-after', '1');
        throw new ApiError(409, 'idempotency_key_in_progress', {
          en: 'A request with this Idempotency-Key is still being processed. Try again in a moment to get its answer.',
          fr: 'Une requête avec cette clé d’idempotence est encore en cours. Réessayez dans un instant pour obtenir sa réponse.',
        }, 'idempotency-key');
    }
  };
}

/**
 * True when the request's Idempotency-Key already holds an answer for its operation. Asked of a request refused
 * before it could be read (not JSON, or not what the schema takes): it can never be the request that answer was for,
 * so it is a reuse of the key (422) rather than a 400 about its body.
 */
export async function keyAlreadyAnswered(pool: pg.Pool, req: FastifyRequest): Promise<boolean> {
  const key = req.headers['idempotency-key'];
  const operationId = (req.routeOptions?.schema as { operationId?: string } | undefined)?.operationId;
  if (typeof key !== 'string' || !operationId || NOT_REPLAYED.has(operationId) || !CHANGING.has(req.method)) return false;
  const stored = ANSWERED_IN_THEIR_TRANSACTION.has(operationId) ? ANSWERED_IN_THEIR_TRANSACTION.get(operationId) : `${operationId}@${callerOf(req)}`;
  return stored ? keyHoldsAnswer(pool, stored, key) : false;
}

/** What was sent, if it can be replayed: a JSON (or empty) answer that is not our own failure. */
function replayable(statusCode: number, payload: unknown): { statusCode: number; result: unknown } | undefined {
  if (statusCode >= 500) return undefined;
  if (payload === undefined || payload === null || payload === '') return { statusCode, result: null };
  if (typeof payload !== 'string') return undefined; // a stream or a file
  try {
    return { statusCode, result: JSON.parse(payload) };
  } catch {
    return undefined;
  }
}

function storeAnswer(pool: pg.Pool) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = claims.get(req);
    if (!claim) return payload;
    claims.delete(req);
    try {
      await settleRequestKey(pool, claim.operation, claim.key, replayable(reply.statusCode, payload));
    } catch (err) {
      // The effect stands and the caller gets its answer; the key stays claimed until its lease lapses.
      req.log.warn({ err: { message: (err as Error).message } }, 'could not store the answer of an Idempotency-Key');
    }
    return payload;
  };
}
