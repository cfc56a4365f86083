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
  if (headers?.properties?.['idempotency-key']) added[422] = ERROR;
  // Staff and admin operations refuse a caller without a session or token (401), or without the right (403).
  if (signedIn) Object.assign(added, { 401: ERROR, 403: ERROR });
  return { ...added, ...response };
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
    body: defaultedOptional(body), querystring: defaultedOptional(querystring), headers: defaultedOptional(headers), params } as FastifySchema };
}
