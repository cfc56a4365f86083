/**
 * The words of every message, in English and French: an e-mail (subject,
 * plain text and HTML), an SMS that fits one segment where it can, and the
 * body of a printed letter. Pure: the worker gathers the facts, these only word them.
 */
import { SegmentedMessage } from 'sms-segments-calculator';

export type Language = 'en' | 'fr';
export type MessageKind = 'booking_confirmation' | 'cancellation' | 'reschedule' | 'clinic_day_cancelled' | 'reminder' | 'invitation';

export interface AppointmentFacts {
  id: number;
  personName: string;
  dose: number;
  startsAt: Date;
  timeZone: string;
  clinicName: string;
  address: string;
  product: string;
}

export interface MessageFacts {
  kind: MessageKind;
  language: Language;
  jurisdiction: string;
  recipientName: string;
  /** The booking's code, or the invitation's. */
  code: string;
  /** Where to see, move or cancel the booking, or to book with the invitation. */
  link: string;
  /** What the message is about: booked, reminded, cancelled, or the new time of a move. */
  appointments: AppointmentFacts[];
  /** For a move: the times given up, in the same order as `appointments`. */
  previous?: AppointmentFacts[];
  reason?: string;
  /** For a cancelled clinic day: the time kept for each person, if one was found. */
  offers?: AppointmentFacts[];
  /** For an invitation: until when the code can be used. */
  expiresAt?: Date;
  timeZone: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
  greeting: string;
  /** Paragraphs of a printed letter, after the greeting. */
  letter: string[];
}

const LOCALE: Record<Language, string> = { en: 'en-CA', fr: 'fr-CA' };

function when(a: { startsAt: Date; timeZone: string }, lang: Language, style: 'long' | 'short' = 'long'): string {
  const date = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: a.timeZone, weekday: style, day: 'numeric', month: style }).format(a.startsAt);
  const time = new Intl.DateTimeFormat(LOCALE[lang], { timeZone: a.timeZone, hour: 'numeric', minute: '2-digit', hourCycle: lang === 'fr' ? 'h23' : 'h12' })
    .format(a.startsAt).replace(/\u202f|\u00a0/g, ' ');
  return lang === 'fr' ? `${date} à ${time.replace(':', ' h ')}` : `${date} at ${time}`;
}

function day(at: Date, timeZone: string, lang: Language): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { timeZone, dateStyle: 'long' }).format(at);
}

const DOSE = { en: (n: number) => `dose ${n}`, fr: (n: number) => `dose ${n}` };

function line(a: AppointmentFacts, lang: Language): string {
  return `${a.personName}, ${DOSE[lang](a.dose)} (${a.product}) — ${when(a, lang)}, ${a.clinicName}, ${a.address}`;
}

interface Wording {
  subject: string;
  intro: string;
  /** Shorter facts for an SMS, before the code and link. */
  smsLead: string;
  outro: string[];
}

/** `clinicChars`: how much of a clinic's name an SMS can afford (0: none). */
function wording(f: MessageFacts, clinicChars = Infinity): Wording {
  const en = f.language === 'en';
  const first = f.appointments[0];
  const clinic = (name: string) => (clinicChars <= 0 ? '' : name.length <= clinicChars ? `, ${name}` : `, ${name.slice(0, clinicChars).trimEnd()}...`);
  const short = (a: AppointmentFacts | undefined) => (a ? `${when(a, f.language, 'short')}${clinic(a.clinicName)}` : '');
  switch (f.kind) {
    case 'booking_confirmation':
      return en
        ? { subject: 'Your vaccination appointments are booked', intro: 'Your appointments are booked:', smsLead: `Vaccination booked: ${short(first)}${f.appointments.length > 1 ? ` (+${f.appointments.length - 1} more)` : ''}.`,
            outro: ['Bring your health card. To move or cancel an appointment, use the link below with your confirmation code.'] }
        : { subject: 'Vos rendez-vous de vaccination sont pris', intro: 'Vos rendez-vous sont pris :', smsLead: `Vaccination: RDV le ${short(first)}${f.appointments.length > 1 ? ` (+${f.appointments.length - 1} autres)` : ''}.`,
            outro: ["Apportez votre carte santé. Pour déplacer ou annuler un rendez-vous, utilisez le lien ci-dessous avec votre code de confirmation."] };
    case 'reminder':
      return en
        ? { subject: 'Reminder: your vaccination appointment', intro: 'A reminder of your appointment:', smsLead: `Reminder: vaccination ${short(first)}.`,
            outro: ['Bring your health card. If you cannot come, cancel so that someone else can have the time.'] }
        : { subject: 'Rappel : votre rendez-vous de vaccination', intro: 'Rappel de votre rendez-vous :', smsLead: `Rappel: vaccination le ${short(first)}.`,
            outro: ["Apportez votre carte santé. Si vous ne pouvez pas venir, annulez pour libérer la place."] };
    case 'cancellation':
      return en
        ? { subject: 'Your vaccination appointment is cancelled', intro: 'These appointments are cancelled:', smsLead: `Cancelled: vaccination ${short(first)}.`,
            outro: ['You can book again at any time.'] }
        : { subject: 'Votre rendez-vous de vaccination est annulé', intro: 'Ces rendez-vous sont annulés :', smsLead: `Annulé: vaccination le ${short(first)}.`,
            outro: ['Vous pouvez reprendre rendez-vous à tout moment.'] };
    case 'reschedule':
      return en
        ? { subject: 'Your vaccination appointment has moved', intro: `Your appointment has moved${f.reason ? ` (${f.reason})` : ''}. The new time:`, smsLead: `Moved: vaccination now ${short(first)}.`,
            outro: ['The earlier time is no longer yours.'] }
        : { subject: 'Votre rendez-vous de vaccination a changé', intro: `Votre rendez-vous a été déplacé${f.reason ? ` (${f.reason})` : ''}. Nouvel horaire :`, smsLead: `Déplacé: vaccination le ${short(first)}.`,
            outro: ["L'ancien horaire n'est plus réservé pour vous."] };
    case 'clinic_day_cancelled':
      return en
        ? { subject: 'Your vaccination clinic is closed that day', intro: `The clinic has cancelled the day of your appointment${f.reason ? `: ${f.reason}` : ''}. Cancelled:`,
            smsLead: `Clinic closed: your vaccination ${short(first)} is cancelled.${f.offers?.length ? ` Offered: ${short(f.offers[0])}.` : ''}`,
            outro: [f.offers?.length ? 'To take the time offered, or choose another, use the link below.' : 'Please book another time with the link below.'] }
        : { subject: 'Votre centre de vaccination est fermé ce jour-là', intro: `Le centre a annulé la journée de votre rendez-vous${f.reason ? ` : ${f.reason}` : ''}. Annulé :`,
            smsLead: `Centre fermé: votre vaccination du ${short(first)} est annulée.${f.offers?.length ? ` Proposé: ${short(f.offers[0])}.` : ''}`,
            outro: [f.offers?.length ? "Pour prendre l'horaire proposé ou en choisir un autre, utilisez le lien ci-dessous." : 'Reprenez rendez-vous avec le lien ci-dessous.'] };
    case 'invitation':
      return en
        ? { subject: 'You are invited to book your vaccination', intro: `You are invited to book your vaccination${f.expiresAt ? ` before ${day(f.expiresAt, f.timeZone, 'en')}` : ''}.`,
            smsLead: `${f.jurisdiction}: you are invited to book your vaccination.`, outro: ['Use the link below, or call us and give your invitation code.'] }
        : { subject: 'Vous êtes invité à prendre rendez-vous pour votre vaccination', intro: `Vous êtes invité à prendre rendez-vous pour votre vaccination${f.expiresAt ? ` avant le ${day(f.expiresAt, f.timeZone, 'fr')}` : ''}.`,
            smsLead: `${f.jurisdiction}: vous pouvez prendre RDV de vaccination.`, outro: ["Utilisez le lien ci-dessous ou appelez-nous avec votre code d'invitation."] };
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Replaces the few characters outside the GSM alphabet (û, ê, ç…) by their plain letter, so a French text stays one 160-character segment. */
export function gsmFriendly(text: string): string {
  if (new SegmentedMessage(text).encodingName === 'GSM-7') return text;
  return [...text].map((ch) => (new SegmentedMessage(ch).encodingName === 'GSM-7' ? ch : ch.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))).join('');
}

export function smsSegments(text: string): number {
  return new SegmentedMessage(text).segmentsCount;
}

/**
 * The SMS: the facts, the code and the link, and how to stop, in one segment
 * where possible: a long clinic name is shortened first, then left out, then
 * the link (the code is enough to manage the booking), never the code.
 */
function smsText(f: MessageFacts): string {
  const stop = f.language === 'en' ? 'STOP to opt out' : 'STOP pour arreter';
  const compose = (clinicChars: number, withLink: boolean) =>
    // A lead ending in "a.m." or a shortened name gets no second full stop.
    gsmFriendly([wording(f, clinicChars).smsLead.replace(/\.{4}$/, '...').replace(/([^.])\.\.$/, '$1.'), `Code ${f.code}`, withLink ? f.link : '', stop]
      .filter(Boolean).join(' '));
  const tries = [Infinity, 32, 20, 0].flatMap((chars) => [[chars, true], [chars, false]] as const)
    .sort((x, y) => Number(y[1]) - Number(x[1]));
  for (const [chars, withLink] of tries) {
    const text = compose(chars, withLink);
    if (smsSegments(text) <= 1) return text;
  }
  return compose(0, false);
}

export function renderMessage(f: MessageFacts): RenderedMessage {
  const w = wording(f);
  const en = f.language === 'en';
  const hello = en ? `Hello ${f.recipientName},` : `Bonjour ${f.recipientName},`;
  const lines = f.appointments.map((a) => line(a, f.language));
  const was = f.previous?.map((a) => `${en ? 'Was:' : 'Avant\u00a0:'} ${line(a, f.language)}`) ?? [];
  const offered = f.offers?.length ? [en ? 'Time offered instead:' : 'Horaire proposé à la place :', ...f.offers.map((a) => line(a, f.language))] : [];
  const codeLine = f.kind === 'invitation'
    ? (en ? `Your invitation code: ${f.code}` : `Votre code d'invitation : ${f.code}`)
    : (en ? `Confirmation code: ${f.code}` : `Code de confirmation : ${f.code}`);
  const sign = en ? `— ${f.jurisdiction} vaccination booking` : `— Prise de rendez-vous de vaccination, ${f.jurisdiction}`;
  const text = [hello, '', w.intro, ...lines.map((l) => `• ${l}`), ...was.map((l) => `  ${l}`), ...(offered.length ? ['', ...offered.map((l, i) => (i ? `• ${l}` : l))] : []),
    '', codeLine, f.link, '', ...w.outro, '', sign].join('\n');
  const li = (items: string[]) => (items.length ? `<ul>${items.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '');
  const html = `<!doctype html><html lang="${f.language}"><head><meta charset="utf-8"><title>${escapeHtml(w.subject)}</title></head>`
    + `<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c">`
    + `<p>${escapeHtml(hello)}</p><p>${escapeHtml(w.intro)}</p>${li(lines)}${li(was)}`
    + (offered.length ? `<p>${escapeHtml(offered[0]!)}</p>${li(offered.slice(1))}` : '')
    + `<p><strong>${escapeHtml(codeLine)}</strong></p><p><a href="${escapeHtml(f.link)}">${escapeHtml(f.link)}</a></p>`
    + w.outro.map((o) => `<p>${escapeHtml(o)}</p>`).join('') + `<p>${escapeHtml(sign)}</p></body></html>`;
  const letter = [w.intro, ...lines, ...was, ...offered, codeLine, f.link, ...w.outro];
  return { subject: w.subject, text, html, sms: smsText(f), greeting: hello, letter };
}
