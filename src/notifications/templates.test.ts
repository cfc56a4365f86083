import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gsmFriendly, renderMessage, smsSegments, type MessageFacts, type MessageKind } from './templates.js';

const appointment = (id: number, dose: number, iso: string) => ({
  id, personName: 'Amélie', dose, startsAt: new Date(iso), timeZone: 'America/Toronto',
  clinicName: 'Centre communautaire de Vanier (site de masse)', address: '270 Avenue Marier, Ottawa K1L 5P7', product: 'Comirnaty',
});

function facts(kind: MessageKind, language: 'en' | 'fr'): MessageFacts {
  const base: MessageFacts = {
    kind, language, jurisdiction: 'Ontario', recipientName: 'Amélie', code: 'K7QM-3XHP-9T', link: 'https://vaccine.example.org/manage?code=K7QM-3XHP-9T',
    // 14:30 on 3 August in Toronto (August is "août" in French: not in the GSM alphabet).
    appointments: [appointment(1, 1, '2022-08-03T18:30:00Z'), appointment(2, 2, '2022-09-28T18:30:00Z')], timeZone: 'America/Toronto',
  };
  if (kind === 'reschedule') return { ...base, appointments: [base.appointments[1]!], previous: [appointment(3, 2, '2022-09-21T14:00:00Z')], reason: 'Storm' };
  if (kind === 'clinic_day_cancelled') return { ...base, appointments: [base.appointments[0]!], reason: 'No vaccine delivered', offers: [appointment(1, 1, '2022-08-04T13:00:00Z')] };
  if (kind === 'reminder' || kind === 'cancellation') return { ...base, appointments: [base.appointments[0]!] };
  if (kind === 'invitation') return { ...base, appointments: [], link: 'https://vaccine.example.org/?invitation=K7QM-3XHP-9T', expiresAt: new Date('2022-08-31T03:59:00Z') };
  return base;
}

const KINDS: MessageKind[] = ['booking_confirmation', 'reminder', 'cancellation', 'reschedule', 'clinic_day_cancelled', 'invitation'];

for (const kind of KINDS) {
  test(`${kind}: worded in English and French with its facts, in the clinic's time zone, and an SMS of one segment`, () => {
    const en = renderMessage(facts(kind, 'en'));
    const fr = renderMessage(facts(kind, 'fr'));
    assert.notEqual(en.subject, fr.subject);
    for (const [m, lang] of [[en, 'en'], [fr, 'fr']] as const) {
      assert.match(m.text, lang === 'en' ? /^Hello Amélie,/ : /^Bonjour Amélie,/);
      assert.ok(m.text.includes('K7QM-3XHP-9T') && m.html.includes('K7QM-3XHP-9T'), 'the code');
      assert.ok(m.letter.some((p) => p.includes('K7QM-3XHP-9T')));
      assert.match(m.html, new RegExp(`<html lang="${lang}">`));
      assert.equal(smsSegments(m.sms), 1, `${kind} ${lang}: "${m.sms}" (${m.sms.length} characters) is one segment`);
      assert.match(m.sms, /K7QM-3XHP-9T/, 'the SMS keeps the code');
      assert.match(m.sms, /STOP/, 'and says how to stop');
    }
    if (kind !== 'invitation') {
      // 18:30 UTC is 14:30 in Toronto in summer.
      assert.match(en.text, /2:30 p\.m\./);
      assert.match(fr.text, /14 h 30/);
      if (kind !== 'reschedule') assert.match(fr.text, /août/, 'the e-mail keeps French accents; only the SMS drops what GSM cannot carry');
    }
  });
}

test('a move states the new time and the one given up; a cancelled day its reason and the time offered', () => {
  const moved = renderMessage(facts('reschedule', 'en'));
  assert.match(moved.text, /Wednesday, September 28 at 2:30 p\.m\./);
  assert.match(moved.text, /Was: Amélie, dose 2 .*September 21 at 10:00 a\.m\./);
  assert.match(moved.text, /Storm/);
  const closed = renderMessage(facts('clinic_day_cancelled', 'fr'));
  assert.match(closed.text, /No vaccine delivered/);
  assert.match(closed.text, /Horaire proposé à la place :\n• Amélie, dose 1 .*4 août à 9 h 00/);
});

test('HTML is escaped: a name cannot inject markup', () => {
  const m = renderMessage({ ...facts('booking_confirmation', 'en'), recipientName: '<script>alert(1)</script>' });
  assert.ok(!m.html.includes('<script>'));
  assert.ok(m.html.includes('&lt;script&gt;'));
});

test('gsmFriendly keeps GSM letters (é, è, à) and replaces only the others (û, ê, ç)', () => {
  assert.equal(gsmFriendly('déjà vu'), 'déjà vu');
  assert.equal(gsmFriendly('août, fête, reçu'), 'aout, fete, recu');
  assert.equal(smsSegments(gsmFriendly('août '.repeat(30))), 1);
});
