import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every setting vaxbook reads from the environment, with what it expects.
 * The descriptions double as the README's configuration table and as the
 * text of the error a person sees when a value is wrong.
 */
const settings = {
  PORT: { schema: Type.Integer({ minimum: 0, maximum: 65535 }), default: '3000', expects: 'a TCP port number from 0 to 65535' },
  HOST: { schema: Type.String({ minLength: 1 }), default: '127.0.0.1', expects: 'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0' },
  DATABASE_URL: { schema: Type.Optional(Type.String()), default: undefined, expects: 'a PostgreSQL URL such as postgres://user:password@host:5432/vaxbook' },
  VAXBOOK_DATA_DIR: { schema: Type.String({ minLength: 1 }), default: 'data', expects: 'a directory for the embedded PostgreSQL data' },
  VAXBOOK_PG_PORT: { schema: Type.Optional(Type.Integer({ minimum: 1024, maximum: 65535 })), default: undefined, expects: 'a TCP port from 1024 to 65535 for the embedded PostgreSQL server (unset: 54329, or a free port if that one is taken)' },
  WEB_CONCURRENCY: { schema: Type.Integer({ minimum: 1, maximum: 64 }), default: String(Math.min(4, os.availableParallelism())), expects: 'the number of HTTP worker processes, from 1 to 64 (default: one per core, at most 4)' },
  DB_POOL_SIZE: { schema: Type.Integer({ minimum: 1, maximum: 500 }), default: '10', expects: 'a whole number of database connections per HTTP worker, from 1 to 500' },
  LOG_LEVEL: { schema: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))), default: 'info', expects: 'one of fatal, error, warn, info, debug, trace, silent' },
  VAXBOOK_STAFF_COOKIE_SECURE: { schema: Type.Boolean(), default: 'true', expects: 'true or false: mark the staff session cookie Secure (browsers then send it only over https, and to localhost); false only behind no TLS on a private network' },
  VAXBOOK_DEMO: { schema: Type.Boolean(), default: 'true', expects: 'true or false: load the demo province into an empty database' },
  VAXBOOK_ADMIN_TOKEN: { schema: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })), default: undefined, expects: 'at least 16 characters: the bearer token of the admin API (unset: a random token, printed at start)' },
  VAXBOOK_TRUST_PROXY: { schema: Type.String({ pattern: '^(false|true|[0-9]{1,2}|[0-9a-fA-F.:/]+( *, *[0-9a-fA-F.:/]+)*)$', maxLength: 1000 }), default: 'false', expects: 'false (clients connect directly), true (any proxy), the number of proxies in front (e.g. 1), or their addresses or ranges, comma-separated (e.g. 10.0.0.0/8): behind them the client address, for per-client limits, is read from X-Forwarded-For' },
  VAXBOOK_HOLD_MINUTES: { schema: Type.Integer({ minimum: 1, maximum: 60 }), default: '10', expects: 'how long a hold keeps its slots, in whole minutes from 1 to 60' },
  VAXBOOK_PUBLIC_URL: { schema: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 300 })), default: undefined, expects: 'the address people open the portal at, e.g. https://vaccine.example.org/ (printed on invitation letters; unset: http://HOST:PORT/)' },
  VAXBOOK_ROLLOUT_FILE: { schema: Type.Optional(Type.String({ minLength: 1 })), default: undefined, expects: 'a roll-out rules file (.json, .yaml or .yml) stored as a new version at start when it differs from the rules in force' },
  VAXBOOK_BRAND_COLOUR: { schema: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }), default: '#1a5a96', expects: 'the portal header colour as #rrggbb (white text must stay readable on it)' },
  VAXBOOK_LOGO_URL: { schema: Type.Optional(Type.String({ pattern: '^(https?://|/)[^\\s]*$', maxLength: 500 })), default: undefined, expects: "an image URL (https://… or /path) shown beside the jurisdiction's name in the portal header" },
  VAXBOOK_MAP_TILES: { schema: Type.String({ pattern: '^(https?://[^\\s]*\\{z\\}[^\\s]*|none)$', maxLength: 500 }), default: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', expects: 'a map tile URL template with {z}, {x} and {y} (or none: the clinic list without a map)' },
  VAXBOOK_MAP_ATTRIBUTION: { schema: Type.String({ maxLength: 300 }), default: '© OpenStreetMap contributors', expects: 'the credit the tile provider requires, shown on the map' },
  VAXBOOK_DELIVERY_WORKER: { schema: Type.Union([Type.Literal('in-process'), Type.Literal('off')]), default: 'in-process', expects: "in-process (messages are sent by the server) or off (run `vaxbook worker` as a separate process)" },
  VAXBOOK_SMTP_URL: { schema: Type.Optional(Type.String({ pattern: '^smtps?://[^\\s]+$', maxLength: 500 })), default: undefined, expects: 'the SMTP server for e-mail, e.g. smtp://user:password@mail.example.org:587 or smtps://…:465 (unset: e-mails are written to files in the data directory)' },
  VAXBOOK_MAIL_FROM: { schema: Type.String({ minLength: 3, maxLength: 200, pattern: '@' }), default: 'Vaccination booking <no-reply@localhost>', expects: 'the sender of e-mails, e.g. "Vaccination booking <no-reply@health.example.org>"' },
  VAXBOOK_SMS_PROVIDER: { schema: Type.Union([Type.Literal('file'), Type.Literal('webhook'), Type.Literal('twilio')]), default: 'file', expects: 'file (SMS written to files in the data directory), webhook (JSON POST to VAXBOOK_SMS_URL) or twilio' },
  VAXBOOK_SMS_URL: { schema: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 })), default: undefined, expects: 'the SMS provider address: the webhook URL, or for twilio its API base (default https://api.twilio.com)' },
  VAXBOOK_SMS_TOKEN: { schema: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), default: undefined, expects: "the SMS provider's secret: a bearer token for the webhook, the auth token for twilio" },
  VAXBOOK_SMS_ACCOUNT: { schema: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), default: undefined, expects: 'the twilio account SID' },
  VAXBOOK_SMS_FROM: { schema: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })), default: undefined, expects: 'the number or sender name SMS come from (twilio)' },
  VAXBOOK_SMS_COUNTRY_CODE: { schema: Type.String({ pattern: '^[1-9][0-9]{0,2}$' }), default: '1', expects: 'the calling code added to mobile numbers typed without one, e.g. 1 (Canada), 32 (Belgium), 33 (France)' },
  VAXBOOK_PROVIDER_TIMEOUT_SECONDS: { schema: Type.Integer({ minimum: 1, maximum: 120 }), default: '10', expects: 'how long to wait for the SMTP server or SMS provider, in whole seconds from 1 to 120' },
  VAXBOOK_DELIVERY_MAX_ATTEMPTS: { schema: Type.Integer({ minimum: 1, maximum: 50 }), default: '8', expects: 'attempts before a message is dead (kept for an administrator to retry), from 1 to 50' },
  VAXBOOK_DELIVERY_RETRY_SECONDS: { schema: Type.Integer({ minimum: 1, maximum: 3600 }), default: '30', expects: 'the wait after a first failed attempt, in seconds (doubled after each further failure, at most an hour), from 1 to 3600' },
  VAXBOOK_REMINDER_HOURS: { schema: Type.Integer({ minimum: 1, maximum: 168 }), default: '24', expects: 'how many hours before an appointment its reminder is sent, from 1 to 168' },
  VAXBOOK_SEED: { schema: Type.Integer({ minimum: 0 }), default: '20210315', expects: 'a whole number that makes the demo data repeatable' },
} as const;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: Static<Settings[K]['schema']> };

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function coerce(raw: string, schema: { type?: unknown; anyOf?: unknown }): unknown {
  if (schema.type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (schema.type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
  }
  return raw.trim();
}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(settings)) {
    const raw = env[name] === '' ? undefined : env[name] ?? spec.default;
    if (raw === undefined) continue;
    const value = coerce(raw, spec.schema as { type?: unknown });
    if (!Value.Check(spec.schema, value)) {
      throw new ConfigError(name, `${name}=${JSON.stringify(raw)} is not valid: expected ${spec.expects}.`);
    }
    out[name] = value;
  }
  if (typeof out.DATABASE_URL === 'string') checkDatabaseUrl(out.DATABASE_URL, 'DATABASE_URL');
  // What each SMS provider needs, named when missing.
  const needs: Record<string, string[]> = { webhook: ['VAXBOOK_SMS_URL'], twilio: ['VAXBOOK_SMS_ACCOUNT', 'VAXBOOK_SMS_TOKEN', 'VAXBOOK_SMS_FROM'] };
  for (const name of needs[String(out.VAXBOOK_SMS_PROVIDER)] ?? []) {
    if (out[name] === undefined) throw new ConfigError(name, `${name} is required with VAXBOOK_SMS_PROVIDER=${String(out.VAXBOOK_SMS_PROVIDER)}: expected ${settings[name as keyof Settings].expects}.`);
  }
  const proxies = trustProxySetting(String(out.VAXBOOK_TRUST_PROXY));
  const badProxy = typeof proxies === 'string' ? proxies.split(',').map((x) => x.trim()).find((x) => !isAddressOrRange(x)) : undefined;
  if (badProxy !== undefined) throw new ConfigError('VAXBOOK_TRUST_PROXY', `VAXBOOK_TRUST_PROXY: "${badProxy}" is not an address or range: expected ${settings.VAXBOOK_TRUST_PROXY.expects}.`);
  out.VAXBOOK_DATA_DIR = path.resolve(String(out.VAXBOOK_DATA_DIR));
  return out as Config;
}

/** VAXBOOK_TRUST_PROXY as Fastify's trustProxy takes it: a switch, a number of hops, or addresses and ranges. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

function isAddressOrRange(x: string): boolean {
  const [address, bits, ...rest] = x.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

export function checkDatabaseUrl(url: string, variable: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(variable, `${variable} is not a valid URL: expected ${settings.DATABASE_URL.expects}.`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(variable, `${variable} must start with postgres:// or postgresql:// (got ${parsed.protocol}//).`);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError(variable, `${variable} has no host name: expected ${settings.DATABASE_URL.expects}.`);
  }
}

/** The configuration table for the README, generated from the same source as validation. */
export function describeSettings(): Array<{ name: string; default: string | undefined; expects: string }> {
  return Object.entries(settings).map(([name, s]) => ({ name, default: s.default, expects: s.expects }));
}
