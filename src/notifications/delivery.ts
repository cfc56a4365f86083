/**
 * Delivers one message of the outbox: claims it, words it in the recipient's
 * language, hands it to the channel's provider and records how it went. A
 * failure is never thrown to the job queue: it becomes a retry at the time the
 * policy says (or a dead letter), written with its job in one transaction.
 */
import type pg from 'pg';
import * as outbox from '../db/repositories/outbox-repository.js';
import { afterFailure, breakerAfter, breakerWait, closedBreaker, DEFAULT_BREAKER, smsSendableAt, toE164, type Breaker, type BreakerPolicy, type QuietHours, type RetryPolicy } from '../domain/delivery-policy.js';
import { invitationLink } from '../integrations/letters/invitation-letters.js';
import { appointmentCalendar } from './calendar-invite.js';
import type { EmailSender } from './channels/email.js';
import type { SmsSender } from './channels/sms.js';
import { DeliveryError } from './delivery-error.js';
import { renderMessage, type AppointmentFacts, type Language, type MessageFacts, type MessageKind } from './templates.js';

export interface DeliverySettings {
  retry: RetryPolicy;
  /** How long a worker may take over one message before it is presumed dead and the message tried again. */
  leaseMs: number;
  reminderHours: number;
  quietHours: QuietHours;
  /** Calling code added to mobile numbers typed without one. */
  countryCode: string;
  publicUrl: string;
  breaker?: BreakerPolicy;
}

/** The breaker of each provider, kept by the worker process. */
export type Breakers = Record<'email' | 'sms', Breaker>;
export const newBreakers = (): Breakers => ({ email: closedBreaker(), sms: closedBreaker() });

export interface Channels {
  email: EmailSender;
  sms: SmsSender;
}

export type DeliveryOutcome = 'sent' | 'failed' | 'dead' | 'deferred' | 'suppressed' | 'not_due';

/** Personal data never goes into the error kept for administrators: addresses and numbers a provider echoes back are masked. */
export function redact(error: string): string {
  return error.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>').replace(/\+?\d[\d\s().-]{6,}\d/g, '<number>');
}

export function manageLink(publicUrl: string, code: string): string {
  const url = new URL('manage', publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  url.searchParams.set('code', code);
  return url.toString();
}

function toFacts(a: outbox.AppointmentRow): AppointmentFacts {
  return { id: a.id, personName: a.given_name, dose: a.dose_number, startsAt: a.starts_at, timeZone: a.time_zone, clinicName: a.clinic_name, address: a.address, product: a.product };
}

/** The facts a message states, as they are now in the database (a message sent late still tells the truth of its change). */
export async function factsOf(db: pg.Pool | pg.PoolClient, m: outbox.ClaimedMessage, r: outbox.Recipient, publicUrl: string): Promise<MessageFacts> {
  const language: Language = r.language === 'fr' ? 'fr' : 'en';
  const base = { kind: m.kind as MessageKind, language, jurisdiction: r.jurisdiction, recipientName: r.given_name, code: r.code, timeZone: r.default_time_zone };
  if (m.invitation_code) {
    return { ...base, link: invitationLink(publicUrl, m.invitation_code), appointments: [], expiresAt: r.expires_at ?? undefined };
  }
  const all = await outbox.appointmentsOfBooking(db, m.booking_id!);
  const named = new Set(m.payload.appointments ?? []);
  const link = manageLink(publicUrl, r.code);
  let appointments: outbox.AppointmentRow[];
  let previous: outbox.AppointmentRow[] | undefined;
  let offers: AppointmentFacts[] | undefined;
  if (m.kind === 'booking_confirmation') {
    // The appointments made with the booking (same transaction, same timestamp).
    appointments = all.filter((a) => r.booked_at && a.created_at.getTime() === r.booked_at.getTime());
  } else if (m.kind === 'reschedule') {
    previous = all.filter((a) => named.has(a.id));
    appointments = previous.map((p) => all.find((a) => a.person_id === p.person_id && a.dose_number === p.dose_number && (a.status === 'booked' || a.status === 'checked_in')))
      .filter((a): a is outbox.AppointmentRow => a !== undefined);
  } else {
    appointments = all.filter((a) => named.has(a.id));
  }
  if (m.kind === 'clinic_day_cancelled' && m.payload.offers) {
    const entries = Object.entries(m.payload.offers);
    const clinics = await outbox.clinicsById(db, entries.map(([, o]) => o.clinicId));
    offers = entries.flatMap(([id, o]) => {
      const was = all.find((a) => a.id === Number(id));
      const c = clinics.get(o.clinicId);
      return was && c ? [{ ...toFacts(was), startsAt: new Date(o.startsAt), clinicName: c.name, address: c.address, timeZone: c.time_zone }] : [];
    });
  }
  return {
    ...base, link, appointments: appointments.map(toFacts), previous: previous?.map(toFacts), offers, reason: m.payload.reason,
    timeZone: appointments[0]?.time_zone ?? previous?.[0]?.time_zone ?? r.default_time_zone,
  };
}

/** A Message-ID from the outbox key: the same for every attempt of the message. */
export const messageIdOf = (dedupeKey: string) => `<${dedupeKey.replace(/[^\w.-]/g, '.')}@vaxbook>`;

export async function deliverMessage(pool: pg.Pool, channels: Channels, settings: DeliverySettings, id: number,
  now: () => Date = () => new Date(), random: () => number = Math.random, breakers: Breakers = newBreakers()): Promise<DeliveryOutcome> {
  const m = await outbox.claim(pool, id, settings.leaseMs);
  if (!m) return 'not_due';
  const policy = settings.breaker ?? DEFAULT_BREAKER;
  if (m.channel !== 'letter') {
    // A provider known to be down is not asked again before its cool-down ends: the message waits, spread over a few seconds.
    const until = breakerWait(breakers[m.channel], now().getTime());
    if (until !== null) {
      await outbox.deferUntil(pool, id, new Date(until + random() * Math.min(10_000, policy.coolDownMs)));
      return 'deferred';
    }
  }
  const fail = async (err: unknown): Promise<DeliveryOutcome> => {
    const permanent = err instanceof DeliveryError && err.permanent;
    // A refusal of one message says nothing about the provider; an outage or a timeout does.
    if (m.channel !== 'letter' && !permanent) breakers[m.channel] = breakerAfter(breakers[m.channel], policy, false, now().getTime());
    const next = afterFailure(settings.retry, m.attempts, permanent, random());
    await outbox.markFailed(pool, id, redact(err instanceof Error ? err.message : String(err)), next.status === 'dead' ? null : next.retryInMs);
    return next.status;
  };
  try {
    const r = await outbox.recipientOf(pool, id);
    if (!r) throw new DeliveryError('the message has no recipient', true);
    const facts = await factsOf(pool, m, r, settings.publicUrl);
    const text = renderMessage(facts);
    let ref: string;
    if (m.channel === 'sms') {
      const to = r.mobile ? toE164(r.mobile, settings.countryCode) : null;
      if (!to) throw new DeliveryError('the mobile number cannot be used for SMS', true);
      if (await outbox.isOptedOut(pool, to)) {
        await outbox.markSuppressed(pool, id, 'the number opted out of SMS');
        return 'suppressed';
      }
      const at = smsSendableAt(now(), facts.timeZone, settings.quietHours);
      if (at.getTime() > now().getTime()) {
        await outbox.deferUntil(pool, id, at, true);
        return 'deferred';
      }
      ref = await channels.sms.send({ to, text: text.sms, key: m.dedupe_key });
    } else if (m.channel === 'email') {
      if (!r.email) throw new DeliveryError('no e-mail address', true);
      ref = await channels.email.send({
        to: r.email, subject: text.subject, text: text.text, html: text.html, messageId: messageIdOf(m.dedupe_key),
        calendar: appointmentCalendar(facts, m.kind === 'cancellation' || m.kind === 'clinic_day_cancelled'),
      });
    } else {
      throw new DeliveryError('letters are sent in the daily print batch', true);
    }
    breakers[m.channel] = breakerAfter(breakers[m.channel], policy, true, now().getTime());
    await outbox.markSent(pool, id, ref);
    return 'sent';
  } catch (err) {
    return fail(err);
  }
}
