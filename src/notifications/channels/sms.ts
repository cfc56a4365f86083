/**
 * SMS through an HTTP provider: a generic JSON webhook (with an
 * Idempotency-Key, so a retry after a crash is one message at the provider),
 * Twilio's Messages API shape, or JSON files when none is configured (the demo).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DeliveryError } from '../delivery-error.js';

export interface Sms {
  to: string;
  text: string;
  /** The outbox key: the same for every attempt of one message. */
  key: string;
}

export interface SmsSender {
  send(sms: Sms): Promise<string>;
}

async function post(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    throw new DeliveryError(e.name === 'TimeoutError' ? `SMS provider did not answer within ${timeoutMs} ms` : `SMS provider unreachable (${e.cause?.code ?? e.name})`, false);
  }
}

/** 2xx: sent. 408, 429 and 5xx: try later. Other 4xx: this message will never pass. */
async function outcome(res: Response, ref: (body: Record<string, unknown>) => unknown): Promise<string> {
  const body = await res.text();
  if (res.ok) {
    let parsed: Record<string, unknown> = {};
    try { parsed = JSON.parse(body) as Record<string, unknown>; } catch { /* a provider may answer with no body */ }
    return String(ref(parsed) ?? '');
  }
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  throw new DeliveryError(`SMS provider answered ${res.status}: ${body.slice(0, 200)}`, permanent);
}

export function webhookSender(url: string, token: string | undefined, timeoutMs: number): SmsSender {
  return {
    async send(sms) {
      const res = await post(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': sms.key, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to: sms.to, text: sms.text, reference: sms.key }),
      }, timeoutMs);
      return outcome(res, (b) => b.id ?? sms.key);
    },
  };
}

/** Twilio's shape: form fields To, From, Body, basic auth with the account SID; the answer's sid is kept. */
export function twilioSender(baseUrl: string, accountSid: string, authToken: string, from: string, timeoutMs: number): SmsSender {
  const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, baseUrl).toString();
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return {
    async send(sms) {
      const res = await post(url, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: sms.to, From: from, Body: sms.text }).toString(),
      }, timeoutMs);
      return outcome(res, (b) => b.sid);
    },
  };
}

export function fileSmsSender(dir: string): SmsSender {
  return {
    async send(sms) {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${sms.key.replace(/[^\w.-]/g, '_')}.json`);
      fs.writeFileSync(file, JSON.stringify(sms, null, 2));
      return file;
    },
  };
}
