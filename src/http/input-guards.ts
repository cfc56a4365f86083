import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { ApiError } from './errors.js';

// PostgreSQL text cannot hold U+0000, and half of a UTF-16 surrogate pair has no UTF-8 form (jsonb refuses its
// escape): either would reach the database as an error after the request passed validation.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path ("persons.0.givenName") of the first string, or object key, that cannot be stored as text; undefined if none. */
export function unstorableTextAt(value: unknown): string | undefined {
  // Iterative: a request body may nest deeper than the call stack allows.
  const stack: Array<[unknown, string[]]> = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return path.join('.');
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, String(i)]]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v).reverse()) {
        if (UNSTORABLE.test(k)) return [...path, k].join('.');
        stack.push([child, [...path, k]]);
      }
    }
  }
  return undefined;
}

/** Refuses, before validation, any request whose path, query or body carries text the database cannot store. */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [['params', req.params], ['querystring', req.query], ['body', req.body]] as const) {
      const field = unstorableTextAt(value);
      if (field === undefined) continue;
      const name = field || where;
      throw new ApiError(400, 'invalid_input', {
        en: `The ${where} field "${name}" contains a character that cannot be stored (a NUL character or half of a surrogate pair).`,
        fr: `Le champ « ${name} » (${where}) contient un caractère impossible à enregistrer (un caractère NUL ou une moitié de paire de substitution).`,
      }, name);
    }
  });
}

interface AjvFormats { formats: Record<string, unknown>; addFormat(name: string, validate: (s: string) => boolean): unknown }

/**
 * Ajv's `date` and `date-time` accept year 0000, which PostgreSQL has no day for ("out of range"):
 * both formats also require a year from 0001, so such a value is refused naming its field.
 */
export function datesPostgresCanStore(ajv: AjvFormats): void {
  for (const name of ['date', 'date-time']) {
    const base = ajv.formats[name] as ((s: string) => boolean) | { validate?: unknown } | undefined;
    const validate = typeof base === 'function' ? base : base?.validate;
    if (typeof validate !== 'function') throw new Error(`Ajv has no "${name}" format to extend`);
    ajv.addFormat(name, (s) => (validate as (s: string) => boolean)(s) && !s.startsWith('0000'));
  }
}

/** How deep a JSON body may nest: our deepest schema needs 5 levels; a hostile body of thousands overflows the stack. */
const MAX_JSON_DEPTH = 32;

/** The deepest nesting of arrays and objects in a JSON text (strings skipped), counted without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * The only bodies the API takes are JSON, parsed by Fastify's own parser (which refuses __proto__) once their nesting
 * is known to be sane. Fastify's default text/plain parser is dropped: it handed a JSON body sent as text/plain to
 * validation as a string ("must be object"); any other type is now a 415, like a form or a body without a type.
 */
export function refuseDeepJson(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    // Many clients send "Content-Type: application/json" on every request, a DELETE without a body too: nothing sent is
    // no body. An operation that needs one still refuses it by its schema (400 naming the body).
    if (text.length === 0) {
      done(null, undefined);
      return;
    }
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(new ApiError(400, 'invalid_input', {
        en: `The body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`,
        fr: `Le corps de la requête imbrique tableaux et objets sur plus de ${MAX_JSON_DEPTH} niveaux.`,
      }, 'body'), undefined);
      return;
    }
    parse(req, text, done);
  });
}

// The pool's compile function takes the route definition (schema, method, url, httpPart), as Fastify calls it; the
// package's own type declarations say otherwise, so the two are declared here.
type ServerAjvOptions = { customOptions?: Record<string, unknown>; onCreate?: unknown };
type CompilerPool = (externalSchemas: unknown, options: ServerAjvOptions) => FastifySchemaCompiler<unknown>;

/** Fastify's validator compiler with the server's Ajv options for every part of a request, but no type coercion for bodies. */
export function bodiesAsSent(externalSchemas: unknown, serverOptions: ServerAjvOptions = {}): FastifySchemaCompiler<unknown> {
  const pool = AjvCompiler() as unknown as CompilerPool;
  const textParts = pool(externalSchemas, serverOptions);
  const bodies = pool(externalSchemas, { ...serverOptions, customOptions: { ...serverOptions.customOptions, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? bodies(route) : textParts(route));
}
