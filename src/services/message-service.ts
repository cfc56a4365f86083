/**
 * Messages as administrators and people see them: what is queued, sent,
 * failing or dead (and why, without personal data), retrying dead letters,
 * the regions' print batches, invitations to a list of people, and SMS opt-outs.
 */
import type pg from 'pg';
import * as invitations from '../db/repositories/invitation-repository.js';
import * as letters from '../db/repositories/letter-batch-repository.js';
import * as outbox from '../db/repositories/outbox-repository.js';
import { withTransaction } from '../db/transaction.js';
import { isStopReply, toE164 } from '../domain/delivery-policy.js';
import { lettersManifest, lettersPdf, type Letter } from '../integrations/letters/message-letters.js';
import { factsOf } from '../notifications/delivery.js';
import { renderMessage } from '../notifications/templates.js';
import { InputError } from './input-error.js';

export function messageView(m: outbox.MessageRow) {
  return {
    id: m.id, kind: m.kind, channel: m.channel, status: m.status, attempts: m.attempts, lastError: m.last_error,
    createdAt: m.created_at.toISOString(), nextAttemptAt: m.status === 'queued' || m.status === 'failed' ? m.next_attempt_at.toISOString() : null,
    sentAt: m.sent_at?.toISOString() ?? null, confirmationCode: m.confirmation_code, invitationCode: m.invitation_code,
    region: m.region_code, letterBatchId: m.letter_batch_id,
  };
}

export async function listMessages(pool: pg.Pool, filter: outbox.MessageFilter) {
  const rows = await outbox.listMessages(pool, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  return { messages: page.map(messageView), nextBefore: rows.length > filter.limit ? page[page.length - 1]!.id : null };
}

/** Counts by channel and status, with the age of the oldest message still waiting: what "how are notifications doing" needs. */
export async function messageSummary(pool: pg.Pool, regionIds?: number[]) {
  const rows = await outbox.messageCounts(pool, regionIds);
  return {
    counts: rows.map((r) => ({ channel: r.channel, status: r.status, count: r.n })),
    oldestWaitingAt: rows.map((r) => r.oldest).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0]?.toISOString() ?? null,
  };
}

export const messageRegion = outbox.messageRegion;

/** One message sent again: only a dead or failed one (a sent message is never sent twice). */
export async function retryMessage(pool: pg.Pool, id: number): Promise<{ retried: number[] } | { notRetryable: string }> {
  const retried = await outbox.retryMessages(pool, [id]);
  if (retried.length) return { retried };
  return { notRetryable: (await outbox.messageRegion(pool, id))?.status ?? 'unknown' };
}

export async function retryDeadMessages(pool: pg.Pool, regionIds: number[] | undefined, kind: string | undefined): Promise<number[]> {
  const ids = await outbox.deadMessageIds(pool, regionIds, kind, 10_000);
  return ids.length ? outbox.retryMessages(pool, ids) : [];
}

export function letterBatchView(b: letters.LetterBatchRow) {
  return { id: b.id, region: b.region_code, regionName: b.region_name, letters: b.letters, createdBy: b.created_by, createdAt: b.created_at.toISOString() };
}

/** A print batch for each of these regions that has letters waiting (the daily run, or an administrator's button). */
export async function createLetterBatches(pool: pg.Pool, regionIds: number[] | 'all', by: string) {
  const regions = regionIds === 'all' ? await letters.regionsWithLetters(pool) : regionIds;
  const made: number[] = [];
  for (const regionId of regions) {
    const id = await withTransaction(pool, (db) => letters.createBatch(db, regionId, by));
    if (id !== null) made.push(id);
  }
  const rows = await Promise.all(made.map((id) => letters.batchById(pool, id)));
  return rows.filter((b): b is letters.LetterBatchRow => b !== undefined).map(letterBatchView);
}

export async function listLetterBatches(pool: pg.Pool, regionIds?: number[]) {
  return (await letters.listBatches(pool, regionIds)).map(letterBatchView);
}

export const letterBatchById = letters.batchById;

/** The batch's letters as they read now, for its PDF and manifest. */
async function letterBatch(pool: pg.Pool, id: number, publicUrl: string) {
  const b = await letters.batchById(pool, id);
  if (!b) return undefined;
  const out: Letter[] = [];
  let jurisdiction = '';
  for (const m of await letters.batchMessages(pool, id)) {
    const r = await outbox.recipientOf(pool, m.id);
    if (!r) continue;
    jurisdiction = r.jurisdiction;
    const facts = await factsOf(pool, { ...m, payload: m.payload as outbox.ClaimedMessage['payload'] }, r, publicUrl);
    const text = renderMessage(facts);
    out.push({
      messageId: m.id, kind: m.kind, language: facts.language, name: `${r.given_name} ${r.family_name}`, addressLine: r.address_line ?? '',
      city: r.city ?? '', postalCode: r.postal_code ?? '', code: r.code, link: facts.link, subject: text.subject, greeting: text.greeting, paragraphs: text.letter,
    });
  }
  return { batchId: b.id, jurisdictionName: jurisdiction, regionName: b.region_name, createdAt: b.created_at, letters: out };
}

export async function letterBatchPdf(pool: pg.Pool, id: number, publicUrl: string): Promise<Buffer | undefined> {
  const batch = await letterBatch(pool, id, publicUrl);
  return batch && lettersPdf(batch);
}

export async function letterBatchManifest(pool: pg.Pool, id: number, publicUrl: string): Promise<string | undefined> {
  const batch = await letterBatch(pool, id, publicUrl);
  return batch && lettersManifest(batch);
}

/** Invitations to named people: each gets a code of the batch and a message on their channels, all in one transaction. */
export async function sendInvitations(pool: pg.Pool, batchId: number, recipients: invitations.InvitationRecipient[], languages: readonly string[]) {
  recipients.forEach((r, i) => {
    if (!r.email && !r.mobile && !r.address) {
      throw new InputError(`recipients[${i}]`, { en: 'Give an e-mail, a mobile number or a postal address for each person.', fr: 'Indiquez un courriel, un numéro de mobile ou une adresse postale pour chaque personne.' });
    }
    if (!languages.includes(r.language)) {
      throw new InputError(`recipients[${i}].language`, { en: `Expected one of: ${languages.join(', ')}.`, fr: `Valeurs possibles : ${languages.join(', ')}.` });
    }
  });
  const result = await withTransaction(pool, (db) => invitations.addressInvitations(db, batchId, recipients));
  if ('missing' in result) return undefined;
  if ('closed' in result) {
    throw new InputError('batchId', { en: 'This batch is revoked or expired: its codes cannot be sent.', fr: 'Ce lot est révoqué ou expiré : ses codes ne peuvent pas être envoyés.' });
  }
  if ('left' in result) {
    throw new InputError('recipients', { en: `The batch has ${result.left} unused code(s) left, fewer than the ${recipients.length} people given.`,
      fr: `Le lot n'a plus que ${result.left} code(s) inutilisé(s), moins que les ${recipients.length} personnes indiquées.` });
  }
  return { batchId, codes: result.codes };
}

/** A reply to our SMS: "STOP" means no further SMS to this number, including those already queued. Returns whether it opted out. */
export async function smsReply(pool: pg.Pool, from: string, text: string, countryCode: string): Promise<boolean> {
  const mobile = toE164(from, countryCode);
  if (!mobile) throw new InputError('from', { en: 'Expected a mobile number, e.g. +16135550123.', fr: 'Numéro de mobile attendu, p. ex. +16135550123.' });
  if (!isStopReply(text)) return false;
  await outbox.optOut(pool, mobile, 'sms reply');
  return true;
}

export async function messagesOfBooking(pool: pg.Pool, bookingId: number) {
  return (await outbox.messagesOfBooking(pool, bookingId)).map((m) => ({
    kind: m.kind, channel: m.channel, status: m.status, createdAt: m.created_at.toISOString(), sentAt: m.sent_at?.toISOString() ?? null,
  }));
}
