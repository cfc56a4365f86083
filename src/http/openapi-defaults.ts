import type { FastifySchema } from 'fastify';

type Json = Record<string, unknown>;

/**
 * A property with a default may be left out: the server fills it in (Ajv's useDefaults) before it checks what is
 * required. TypeBox lists it as required all the same, so the document would tell clients to send it; this copy of a
 * schema lists it as optional. Nested objects, arrays and alternatives are treated alike.
 */
export function defaultedOptional<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(defaultedOptional) as T;
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) copy[k] = defaultedOptional(v);
  const properties = copy.properties as Record<string, Json> | undefined;
  if (Array.isArray(copy.required) && properties) {
    const required = (copy.required as string[]).filter((name) => properties[name]?.default === undefined);
    if (required.length) copy.required = required;
    else delete copy.required;
  }
  return copy as T;
}

/** Shared error responses, as the routes write them (a reference to the Error schema). */
const ERROR = { $ref: 'Error' };

const RETRY_AFTER = { 'retry-after': { type: 'integer', description: 'Seconds to wait before trying again' } };
/** An error answered with Retry-After: too many requests (429), a key still at work (409), the database unavailable (503). */
const errorWithRetry = (description: string) => ({ description, headers: RETRY_AFTER, content: { 'application/json': { schema: ERROR } } });
const BUSY_KEY = errorWithRetry('Conflict, or a request with this Idempotency-Key still at work (idempotency_key_in_progress: ask again after Retry-After)');
const TOO_MANY = errorWithRetry('Too many requests: try again after Retry-After seconds');
const UNAVAILABLE = errorWithRetry('The database is unavailable or saturated (service_unavailable): try again after Retry-After seconds');
/** Operations that answer without the database. */
const WITHOUT_DATABASE = new Set(['getHealth', 'getMetrics']);

/**
 * Answers no route declares, because they come from around it: a body too large (413) or not JSON (415) is refused
 * by the body parser for any operation that takes a body, and an Idempotency-Key sent before with another request
 * (422) by request-idempotency.ts for any operation that takes the key. Added where a route has not said them itself.
 */
function sharedResponses(schema: FastifySchema & Json, signedIn: boolean): Json | undefined {
  // A route without response schemas (a file download) is documented with its success as @fastify/swagger says it.
  const response = (schema.response as Json | undefined) ?? (signedIn ? { 200: { description: 'Default Response' } } : undefined);
  if (!response) return response;
  const added: Json = {};
  if (schema.body) Object.assign(added, { 413: ERROR, 415: ERROR });
  const headers = schema.headers as { properties?: Json } | undefined;
  const keyed = !!headers?.properties?.['idempotency-key'];
  if (keyed) Object.assign(added, { 409: BUSY_KEY, 422: ERROR });
  // Staff and admin operations refuse a caller without a session or token (401), or without the right (403).
  if (signedIn) Object.assign(added, { 401: ERROR, 403: ERROR });
  if (!WITHOUT_DATABASE.has(String(schema.operationId))) added[503] = UNAVAILABLE;
  const all: Json = { ...added, ...response };
  // Said by the route as a plain Error: the header that comes with it is documented all the same.
  if (all[429]) all[429] = TOO_MANY;
  if (keyed && all[409]) all[409] = BUSY_KEY;
  if (keyed) {
    for (const [status, r] of Object.entries(all)) {
      if (/^2/.test(status) && r && typeof r === 'object') {
        all[status] = { ...(r as Json), headers: { ...((r as Json).headers as Json | undefined),
          'idempotent-replayed': { type: 'string', enum: ['true'], description: 'Present when this is the stored answer to an earlier request with the same Idempotency-Key' } } };
      }
    }
  }
  return all;
}

/** Every operation takes ?lang= (errors.ts preferredLanguage): the language of its messages, before Accept-Language. */
const LANG = { type: 'string', enum: ['en', 'fr'], description: 'The language of messages in the answer (before Accept-Language)' };
function withLang(querystring: unknown): Json {
  const q = (querystring ?? { type: 'object', properties: {} }) as Json;
  return { ...q, properties: { ...(q.properties as Json | undefined), lang: LANG } };
}

/** Operations for staff (a session cookie with its X-CSRF-Token, or the administrator token) and administrators. */
const SIGNED_IN = /^\/api\/v1\/(staff|admin)\/(?!login$)/;
/** How they are called, as the document's security requirement: either way is enough. */
const STAFF_SECURITY = [{ staffSession: [], csrfToken: [] }, { bearer: [] }];

/**
 * @fastify/swagger's transform: the request parts of each route, with defaulted properties optional, the shared
 * responses, and how staff and admin operations are called.
 */
export function documentDefaultsAsOptional({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  if (!schema) return { schema, url };
  const signedIn = SIGNED_IN.test(url);
  const { body, querystring, headers, params, ...rest } = schema as FastifySchema & Json;
  return { url, schema: { ...rest, response: sharedResponses(schema as FastifySchema & Json, signedIn),
    ...(signedIn && !rest.security ? { security: STAFF_SECURITY } : {}),
    body: defaultedOptional(body), querystring: withLang(defaultedOptional(querystring)), headers: defaultedOptional(headers), params } as FastifySchema };
}
