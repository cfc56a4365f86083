import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { Type } from 'typebox';
import { createRequire } from 'node:module';
import Negotiator from 'negotiator';
import { InputError } from '../services/input-error.js';
import { breakerOpen, queryTimedOut, serverUnreachable } from '../db/connection-breaker.js';
import { PATTERN_MEANINGS } from './schemas.js';

/** The body of every error response: a stable code for programs, a sentence for people in EN and FR. */
export const ErrorBody = Type.Object({
  code: Type.String({ description: 'Stable, machine-readable error code' }),
  message: Type.String({ description: "Human-readable message in the request's language" }),
  messages: Type.Object({ en: Type.String(), fr: Type.String() }),
  field: Type.Optional(Type.String({ description: 'The input field at fault, when there is one' })),
  requestId: Type.Optional(Type.String()),
  detail: Type.Optional(Type.Unknown({ description: 'Machine-readable detail, e.g. the full slot and the nearest alternatives' })),
}, { $id: 'Error' });

/** An Idempotency-Key sent again with another request: said the same way by every operation. */
export const KEY_REUSED = { en: 'This Idempotency-Key was already used for a different request.', fr: 'Cette clé d’idempotence a déjà servi pour une autre requête.' };

export class ApiError extends Error {
  constructor(readonly statusCode: number, readonly code: string, readonly messages: { en: string; fr: string },
    readonly field?: string, readonly extra?: Record<string, unknown>) {
    super(messages.en);
    this.name = 'ApiError';
  }
}

/**
 * The language of a message to a person: `?lang=`, else the best of en/fr in Accept-Language (weights and regional
 * variants understood: "de, fr-CA" is French), else the language the request itself names (a search's or the
 * first person's), else English.
 */
export function preferredLanguage(req: FastifyRequest): 'en' | 'fr' {
  // A request refused before routing (a path that cannot be decoded) has no parsed query: read ?lang= from the URL.
  const q = (req.query as Record<string, unknown> | undefined)?.lang ?? /[?&]lang=(en|fr)(?:&|$)/.exec(req.url)?.[1];
  if (q === 'fr' || q === 'en') return q;
  if (req.headers['accept-language']) {
    const best = new Negotiator({ headers: { 'accept-language': req.headers['accept-language'] } }).language(['en', 'fr']);
    if (best === 'en' || best === 'fr') return best;
  }
  const body = req.body as { language?: unknown; persons?: Array<{ language?: unknown }> } | undefined;
  const named = typeof body === 'object' && body !== null ? body.language ?? (Array.isArray(body.persons) ? body.persons[0]?.language : undefined) : undefined;
  return named === 'fr' ? 'fr' : 'en';
}

// ajv-i18n is CommonJS whose types declare an ES default export; require gives the function itself.
type AjvErrors = NonNullable<FastifyError['validation']>;
const localizeFr = createRequire(import.meta.url)('ajv-i18n/localize/fr') as (errors: AjvErrors) => void;

/**
 * What is wrong with the first field Ajv refused, in the language asked (French by ajv-i18n, on copies).
 * For a value that may take one of several forms (anyOf), every form is said; a pattern is described, never
 * shown as the regular expression it is.
 */
function validationDetail(err: FastifyError, lang: 'en' | 'fr'): string {
  const errors = err.validation ?? [];
  const first = errors[0];
  if (!first) return lang === 'en' ? 'is invalid' : 'valeur invalide';
  const branches = errors.some((e) => e.keyword === 'anyOf' && e.instancePath === first.instancePath)
    ? errors.filter((e) => e.instancePath === first.instancePath && e.keyword !== 'anyOf') : [first];
  const say = (e: AjvErrors[number]): string => {
    const meaning = e.keyword === 'pattern' ? PATTERN_MEANINGS[(e.params as { pattern?: string }).pattern ?? ''] : undefined;
    if (meaning) return meaning[lang];
    if (e.keyword === 'pattern') return lang === 'en' ? 'is not in the expected form' : "n'a pas la forme attendue";
    const allowed = (e.params as { allowedValue?: unknown }).allowedValue;
    if (e.keyword === 'const') return lang === 'en' ? `must be ${JSON.stringify(allowed)}` : `doit être ${JSON.stringify(allowed)}`;
    if (lang === 'en') return e.message ?? 'is invalid';
    const copy: AjvErrors = [{ ...e }];
    localizeFr(copy);
    return copy[0]?.message ?? e.message ?? 'valeur invalide';
  };
  return [...new Set(branches.map(say))].join(lang === 'en' ? ' or ' : ' ou ');
}

/** Fastify's own refusals of a body, said in both languages with stable codes. */
const FRAMEWORK_REFUSALS: Record<string, { status: number; code: string; field?: string; messages: { en: string; fr: string } }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', field: 'body', messages: {
    en: 'The body is not valid JSON.', fr: "Le corps de la requête n'est pas du JSON valide." } },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', field: 'body', messages: {
    en: 'The body is too large. Send fewer items per request.', fr: 'Le corps de la requête est trop volumineux. Envoyez moins d’éléments par requête.' } },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', messages: {
    en: 'This Content-Type is not accepted: send JSON (application/json).', fr: "Ce Content-Type n'est pas accepté : envoyez du JSON (application/json)." } },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', messages: {
    en: 'The Content-Length does not match the body.', fr: 'Le Content-Length ne correspond pas au corps de la requête.' } },
  // Refused before routing (Fastify's frameworkErrors): a path that cannot be decoded.
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', messages: {
    en: 'The address is malformed: a % must be followed by two hexadecimal digits.', fr: "L'adresse est mal formée : un % doit être suivi de deux chiffres hexadécimaux." } },
};

/** Field name from an Ajv error path like "/radiusKm" or a missing-property message. */
function fieldOf(err: FastifyError): string | undefined {
  const v = err.validation?.[0];
  if (!v) return undefined;
  const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
  const pathParts = v.instancePath.split('/').filter(Boolean);
  if (missing) pathParts.push(missing);
  return pathParts.join('.') || undefined;
}

function send(reply: FastifyReply, req: FastifyRequest, status: number, code: string,
  messages: { en: string; fr: string }, field?: string, extra?: Record<string, unknown>) {
  return reply.status(status).send({ code, message: messages[preferredLanguage(req)], messages, field, requestId: req.id, ...extra });
}

// SQLSTATEs of a value PostgreSQL cannot take: numeric or date out of range, bad text representation or encoding, too long.
const VALUE_REFUSED_BY_DATABASE = new Set(['22003', '22008', '22007', '22P02', '22021', '22P05', '22001']);

// A server that cannot be reached (or the breaker failing fast because of it), too many connections (53300), and the
// pool's own wait for a connection timing out.
function databaseUnavailable(err: { code?: string; message?: string }): boolean {
  if (serverUnreachable(err) || breakerOpen(err) || err.code === '53300') return true;
  return /^(Connection terminated|timeout exceeded when trying to connect)/.test(err.message ?? '');
}

/**
 * A request Node's HTTP parser refuses (headers too large, a malformed request line) never reaches Fastify: answered on
 * the socket with the same Error body, in English and French, then closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  // A client that went away, or a socket already closed, has no one to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, messages] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'Request Header Fields Too Large', 'headers_too_large', { en: 'The request headers are too large: send fewer or shorter cookies and headers.', fr: 'Les en-têtes de la requête sont trop volumineux : envoyez des cookies et en-têtes moins nombreux ou plus courts.' }] as const
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request_timeout', { en: 'The request took too long to arrive. Please send it again.', fr: 'La requête a mis trop de temps à arriver. Veuillez la renvoyer.' }] as const
      : [400, 'Bad Request', 'malformed_request', { en: 'The request is malformed and could not be read.', fr: "La requête est mal formée et n'a pas pu être lue." }] as const;
  const body = JSON.stringify({ code, message: messages.en, messages });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof ApiError) return send(reply, req, err.statusCode, err.code, err.messages, err.field, err.extra);
  if (err instanceof InputError) return send(reply, req, 400, 'invalid_input', err.messages, err.field);
  if (err.validation) {
    const where = err.validationContext ?? 'request';
    // No body at all (none sent, or an empty one under a JSON Content-Type) where the operation needs one.
    if (where === 'body' && req.body === undefined) {
      return send(reply, req, 400, 'invalid_input', {
        en: 'The body is missing: send a JSON object (Content-Type: application/json).',
        fr: 'Le corps de la requête est absent : envoyez un objet JSON (Content-Type: application/json).',
      }, 'body');
    }
    const field = fieldOf(err);
    const detail = validationDetail(err, 'en');
    const frDetail = validationDetail(err, 'fr');
    return send(reply, req, 400, 'invalid_input', {
      en: field ? `The ${where} field "${field}" ${detail}.` : `The ${where} is invalid: ${detail}.`,
      fr: field ? `Le champ « ${field} » (${where}) est invalide : ${frDetail}.` : `La requête est invalide : ${frDetail}.`,
    }, field ?? (where === 'body' ? 'body' : undefined)); // a body of the wrong kind (a string, an array) is the body's fault
  }
  const framework = err.code ? FRAMEWORK_REFUSALS[err.code] : undefined;
  if (framework) return send(reply, req, framework.status, framework.code, framework.messages, framework.field);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return send(reply, req, err.statusCode, err.code?.toLowerCase() ?? 'bad_request', {
      en: err.message, fr: `Requête refusée : ${err.message}`,
    });
  }
  // A database error's detail and context can quote the row (names, dates of birth): only its code,
  // constraint and stack are logged.
  const db = err as FastifyError & { severity?: string; constraint?: string; table?: string; column?: string; routine?: string };
  if (db.severity && db.code && VALUE_REFUSED_BY_DATABASE.has(db.code)) {
    // Schemas bound what they can; a value that still fails PostgreSQL's own checks came from the request.
    req.log.warn({ err: { code: db.code, routine: db.routine } }, 'request value refused by the database');
    return send(reply, req, 400, 'invalid_input', {
      en: 'A value in the request is out of range or malformed. Check the numbers, dates and text you sent.',
      fr: 'Une valeur de la requête est hors limites ou mal formée. Vérifiez les nombres, les dates et le texte envoyés.',
    });
  }
  if (queryTimedOut(db)) {
    // Unlike a refused connection, the request may have been done before the server stopped answering: a repeat with
    // the same Idempotency-Key is safe either way.
    req.log.error({ err: { message: db.message } }, 'database did not answer in time');
    reply.header('retry-after', '2');
    return send(reply, req, 503, 'service_unavailable', {
      en: 'The service did not answer in time. Please try again in a few seconds.',
      fr: 'Le service n’a pas répondu à temps. Veuillez réessayer dans quelques secondes.',
    });
  }
  if (databaseUnavailable(db)) {
    // A restart, a fail-over or a pool exhausted by a rush: the request did nothing, and trying again soon will work.
    req.log.error({ err: { code: db.code, message: db.message } }, 'database unavailable');
    reply.header('retry-after', '2');
    return send(reply, req, 503, 'service_unavailable', {
      en: 'The service is briefly unavailable. Please try again in a few seconds.',
      fr: 'Le service est momentanément indisponible. Veuillez réessayer dans quelques secondes.',
    });
  }
  // Unexpected: log it and answer without internals.
  req.log.error(db.severity
    ? { err: { type: db.name, message: db.message, code: db.code, constraint: db.constraint, table: db.table, column: db.column, routine: db.routine, stack: db.stack } }
    : { err }, 'unhandled error');
  return send(reply, req, 500, 'internal_error', {
    en: 'Something went wrong on our side. Please try again in a moment.',
    fr: 'Un problème est survenu de notre côté. Veuillez réessayer dans un instant.',
  });
}

/**
 * Nothing routed: a 405 listing the methods the path takes when it exists under others (an Allow header is required
 * with 405), else a 404. `allowed` is every method of the routes whose pattern the path matches.
 */
export function notFoundHandler(req: FastifyRequest, reply: FastifyReply, allowed: string[] = []) {
  const path = req.url.split('?')[0];
  // A route that answers 404 itself (callNotFound) is reached by its own method: that stays a 404.
  if (allowed.length > 0 && !allowed.includes(req.method)) {
    reply.header('allow', allowed.join(', '));
    return send(reply, req, 405, 'method_not_allowed', {
      en: `${req.method} is not allowed at ${path}. Allowed: ${allowed.join(', ')}.`,
      fr: `La méthode ${req.method} n'est pas permise à ${path}. Méthodes permises : ${allowed.join(', ')}.`,
    });
  }
  return send(reply, req, 404, 'not_found', {
    en: `There is nothing at ${req.method} ${path}.`,
    fr: `Il n'y a rien à ${req.method} ${path}.`,
  });
}
