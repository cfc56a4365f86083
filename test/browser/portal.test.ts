import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../src/http/app.js';
import { loadDemoProvince } from '../../src/services/data-set-service.js';
import { freshDatabase } from '../helpers/db.js';
import { browserMissing, launchChromium, reportPagesLeftOpen, shotAndAxe } from '../helpers/browser.js';
import { withCheckDigits } from '../../src/domain/identifiers.js';

/**
 * The portal in Debian's Chromium (headless), on the demo province with its
 * roll-out. Screenshots of every step land in test-artifacts/portal/.
 */
const missing = browserMissing;

let app: FastifyInstance;
let pool: pg.Pool;
let browser: Browser;
let base: string;

before(async () => {
  if (missing) return;
  ({ pool } = await freshDatabase());
  await loadDemoProvince(pool, 42);
  // Behind a "proxy" at 127.0.0.1: the tests' other clients say who they are in X-Forwarded-For, each with its own limits.
  app = await buildApp({ pool, logLevel: process.env.DBG ? 'error' : 'silent', trustProxy: '127.0.0.1' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); await app?.close(); });
afterEach(() => reportPagesLeftOpen(browser, 'portal'));

/** A screenshot of the step, and axe-core on it: zero violations. */
const shot = (page: Page, name: string) => shotAndAxe(page, 'portal', name);

/** Step 1 as people fill it: a date of birth, and the postal code or town they live in. */
async function eligibility(page: Page, dob: [string, string, string], place: string) {
  await page.getByLabel(/^(Day|Jour)$/).fill(dob[0]);
  await page.getByLabel(/^(Month|Mois)$/).fill(dob[1]);
  await page.getByLabel(/^(Year|Année)$/).fill(dob[2]);
  await page.getByLabel(/Where do you live|Où habitez-vous/).fill(place);
}

test('a two-dose booking in English: eligibility, clinic, both times, details, confirmation', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  const apiErrors: string[] = [];
  page.on('response', (r) => { if (r.url().includes('/api/') && r.status() >= 500) apiErrors.push(`${r.status()} ${r.url()}`); });
  await page.goto(base);
  await page.getByRole('heading', { name: 'Can you book now?' }).waitFor();
  await shot(page, 'en-1-eligibility');
  await eligibility(page, ['2', '3', '1950'], 'Barrie');
  await page.getByRole('button', { name: 'Continue' }).click();

  // The town given at eligibility: the clinics near it come without searching again.
  await page.getByRole('heading', { name: 'Clinics near Barrie' }).waitFor();
  assert.equal(await page.getByLabel('Town or postal code').inputValue(), 'Barrie');
  await shot(page, 'en-2-clinics');
  await page.locator('.vb-days button').first().click();

  await page.getByRole('heading', { name: 'Choose a time for your first dose' }).waitFor();
  await page.locator('input[name="dose1"]').first().check();
  await page.locator('input[name="dose2"]').first().waitFor();
  assert.equal(await page.locator('input[name="dose2"]:checked').count(), 1, 'dose 2 comes pre-chosen on the suggested day');
  await shot(page, 'en-3-times');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  assert.match(await page.locator('.vb-countdown').innerText(), /kept for you for \d+:\d\d/);
  await page.getByLabel('Health card number').fill('1234 567 890');
  await page.getByLabel('Health card number').press('Tab');
  // Checked as typed, before any submit, with the API's message beside the field.
  await page.locator('#identifier-error', { hasText: 'check digit' }).waitFor();
  await page.getByLabel('First name').fill('Ada');
  await page.getByLabel('Last name').fill('Lovelace');
  await page.getByLabel('Email address').fill('ada@example.org');
  await page.getByLabel(/I agree/).check();
  await page.getByRole('button', { name: 'Confirm and book' }).click();
  // The API's own message, linked to the field.
  await page.locator('.govuk-error-summary a[href="#identifier"]', { hasText: 'check digit' }).waitFor();
  await shot(page, 'en-4-details-error');
  await page.getByLabel('Health card number').fill('1234 567 897');
  await page.locator('#identifier-error').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Confirm and book' }).click();

  await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor();
  const code = await page.getByTestId('confirmation-code').innerText();
  assert.match(code, /^[2-9A-Y]{4}-[2-9A-Y]{4}-[2-9A-Y]{2}$/);
  assert.equal(await page.locator('.govuk-summary-card').count(), 2, 'both appointments');
  await shot(page, 'en-5-confirmation');

  const lookup = await fetch(`${base}/api/v1/bookings/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmationCode: code, dateOfBirth: '1950-03-02' }) });
  assert.deepEqual((await lookup.json()).appointments.map((a: { dose: number }) => a.dose), [1, 2]);
  assert.deepEqual(apiErrors, []);
  await page.close();
});

test('not yet: a two-year-old\'s parent sees when and why, in French, on a 360 px phone', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  await page.goto(base);
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'Pouvez-vous prendre rendez-vous maintenant?' }).waitFor();
  const twoYearsAgo = new Date(Date.now() - 2 * 365.25 * 86_400_000);
  await eligibility(page, [String(twoYearsAgo.getUTCDate()), String(twoYearsAgo.getUTCMonth() + 1), String(twoYearsAgo.getUTCFullYear())], 'Barrie');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: 'Vous ne pouvez pas encore réserver' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Vous pourrez réserver à partir du \S+ \d+ \S+ \d{4}\./);
  assert.match(await page.locator('main').innerText(), /Enfants de 6 mois à 4 ans : la prise de rendez-vous ouvre le/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await shot(page, 'fr-not-yet-360px');
  await page.close();
});

test('a parent books two children in French: both children, both doses, one code', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  await page.goto(base);
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'Pouvez-vous prendre rendez-vous maintenant?' }).waitFor();
  const born = (years: number) => new Date(Date.now() - (years * 365.25 + 40) * 86_400_000);
  const [a, b] = [born(7), born(9)];
  await eligibility(page, [String(a.getUTCDate()), String(a.getUTCMonth() + 1), String(a.getUTCFullYear())], 'Barrie');
  await page.getByRole('button', { name: /Ajouter une autre personne/ }).click();
  await page.locator('#dob-2').fill(String(b.getUTCDate()));
  await page.locator('#dob-2-m').fill(String(b.getUTCMonth() + 1));
  await page.locator('#dob-2-y').fill(String(b.getUTCFullYear()));
  await shot(page, 'fr-1-two-children');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await page.getByRole('heading', { name: 'Cliniques près de Barrie' }).waitFor();
  await page.getByLabel('Distance').selectOption('50');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('heading', { name: 'Cliniques près de Barrie' }).waitFor();
  await shot(page, 'fr-2-clinics');
  await page.locator('.vb-days button').first().click();
  await page.getByRole('heading', { name: 'Choisissez l’heure de votre première dose' }).waitFor();
  await page.locator('input[name="dose1"]').first().check();
  await page.locator('input[name="dose2"]:checked').waitFor();
  await shot(page, 'fr-2b-times');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await page.getByRole('heading', { name: 'Vos renseignements' }).waitFor();
  const kids = [{ id: withCheckDigits('ontario-health-card', '300000001'), given: 'Léa' }, { id: withCheckDigits('ontario-health-card', '300000002'), given: 'Noé' }];
  for (const [i, k] of kids.entries()) {
    const suffix = i === 0 ? '' : `-${i + 1}`;
    await page.locator(`#identifier${suffix}`).fill(k.id);
    await page.locator(`#givenName${suffix}`).fill(k.given);
    await page.locator(`#familyName${suffix}`).fill('Tremblay');
  }
  await page.getByLabel('Langue des messages').selectOption('fr');
  await page.getByLabel('Adresse courriel').fill('parent@example.org');
  await page.getByLabel(/J’accepte/).check();
  await shot(page, 'fr-3-details');
  await page.getByRole('button', { name: 'Confirmer et réserver' }).click();
  await page.getByRole('heading', { name: 'Rendez-vous confirmé' }).waitFor();
  assert.equal(await page.locator('.govuk-summary-card').count(), 4, 'two children, two doses each');
  assert.match(await page.locator('main').innerText(), /Léa – Dose 1[\s\S]*Noé – Dose 2/);
  await shot(page, 'fr-4-confirmation');

  // Noé's dose 2 is cancelled alone, from his own line: Léa keeps both of hers.
  const code = await page.getByTestId('confirmation-code').innerText();
  await page.goto(base);
  if (await page.getByRole('button', { name: 'Français' }).isVisible()) await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('button', { name: 'Consulter, modifier ou annuler une réservation' }).click();
  await page.getByLabel('Code de confirmation').fill(code);
  await page.getByLabel(/^Jour$/).fill(String(a.getUTCDate()));
  await page.getByLabel(/^Mois$/).fill(String(a.getUTCMonth() + 1));
  await page.getByLabel(/^Année$/).fill(String(a.getUTCFullYear()));
  await page.getByRole('button', { name: 'Trouver ma réservation' }).click();
  // Léa's dose 2 moves alone, to a later time on a day the picker offers: Noé keeps his.
  const dob = `${a.getUTCFullYear()}-${String(a.getUTCMonth() + 1).padStart(2, '0')}-${String(a.getUTCDate()).padStart(2, '0')}`;
  const lookup = async () => (await (await fetch(`${base}/api/v1/bookings/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmationCode: code, dateOfBirth: dob }) })).json()) as
    { appointments: Array<{ personGivenName: string; dose: number; status: string; slotId: number }> };
  const dose2Of = (view: Awaited<ReturnType<typeof lookup>>, name: string) => view.appointments.find((x) => x.personGivenName === name && x.dose === 2 && x.status === 'booked')!.slotId;
  const before = await lookup();
  await page.getByRole('button', { name: 'Modifier la dose 2 de Léa' }).click();
  await page.getByRole('heading', { name: 'Une nouvelle heure pour la dose 2 de Léa' }).waitFor();
  await page.locator('.vb-picker .vb-days button').first().click();
  await page.locator('input[name="pick"]').last().click();
  await page.getByRole('heading', { name: 'Une nouvelle heure pour la dose 2 de Léa' }).waitFor({ state: 'detached' });
  const moved = await lookup();
  assert.notEqual(dose2Of(moved, 'Léa'), dose2Of(before, 'Léa'), 'Léa’s dose 2 moved');
  assert.equal(dose2Of(moved, 'Noé'), dose2Of(before, 'Noé'), 'Noé’s stayed');
  // The button asks first; "Oui, annuler" cancels.
  await page.getByRole('button', { name: 'Annuler la dose 2 de Noé' }).click();
  await page.getByRole('alertdialog', { name: 'Annuler la dose 2 de Noé\u202f?' }).waitFor();
  await shot(page, 'fr-5-cancel-asked');
  await page.getByRole('button', { name: 'Oui, annuler' }).click();
  await page.getByRole('button', { name: 'Annuler la dose 2 de Noé' }).waitFor({ state: 'detached' });
  await page.getByRole('alertdialog').waitFor({ state: 'detached' });
  await shot(page, 'fr-5-one-child-cancelled');
  const left = await (await fetch(`${base}/api/v1/bookings/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmationCode: code, dateOfBirth: dob }) })).json();
  assert.deepEqual(left.appointments.filter((x: { status: string }) => x.status === 'booked').map((x: { personGivenName: string; dose: number }) => `${x.personGivenName} ${x.dose}`).sort(),
    ['Léa 1', 'Léa 2', 'Noé 1']);
  await page.close();
});

test('a parent books for themself and two children in one visit: told to book separately, then both bookings, contact kept', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(base);
  const born = (years: number) => new Date(Date.now() - (years * 365.25 + 40) * 86_400_000);
  await eligibility(page, ['12', '6', '1984'], 'Barrie');
  for (const [n, kid] of [born(6), born(10)].entries()) {
    await page.getByRole('button', { name: /Add another person/ }).click();
    await page.locator(`#dob-${n + 2}`).fill(String(kid.getUTCDate()));
    await page.locator(`#dob-${n + 2}-m`).fill(String(kid.getUTCMonth() + 1));
    await page.locator(`#dob-${n + 2}-y`).fill(String(kid.getUTCFullYear()));
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText(/No single vaccine here suits everyone/).waitFor();
  await shot(page, 'en-family-separately');
  await page.getByRole('button', { name: 'Book for the first person now, then for the others' }).click();
  await page.getByRole('heading', { name: 'Clinics near Barrie' }).waitFor();
  await page.locator('.vb-days button').first().click();
  await page.locator('input[name="dose1"]').first().check();
  await page.locator('input[name="dose2"]:checked').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  await page.getByLabel('Health card number').fill(withCheckDigits('ontario-health-card', '600000006'));
  await page.getByLabel('First name').fill('Sam');
  await page.getByLabel('Last name').fill('Parent');
  await page.getByLabel('Email address').fill('sam@example.org');
  await page.getByLabel(/I agree/).check();
  await page.getByRole('button', { name: 'Confirm and book' }).click();
  await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor();
  const parentCode = await page.getByTestId('confirmation-code').innerText();

  await page.getByRole('button', { name: 'Now book for the other people (2)' }).click();
  await page.getByRole('heading', { name: 'Clinics near Barrie' }).waitFor();
  await page.getByLabel('Distance').selectOption('50');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('.vb-days button').first().click();
  await page.locator('input[name="dose1"]').first().check();
  await page.locator('input[name="dose2"]:checked').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  assert.equal(await page.getByLabel('Email address').inputValue(), 'sam@example.org', 'the contact typed once is kept');
  for (const [i, given] of ['Ivy', 'Max'].entries()) {
    const suffix = i === 0 ? '' : `-${i + 1}`;
    await page.locator(`#identifier${suffix}`).fill(withCheckDigits('ontario-health-card', `60000001${i}`));
    await page.locator(`#givenName${suffix}`).fill(given);
    await page.locator(`#familyName${suffix}`).fill('Parent');
  }
  await page.getByRole('button', { name: 'Confirm and book' }).click();
  await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor();
  assert.equal(await page.locator('.govuk-summary-card').count(), 4, 'two children, two doses each');
  assert.notEqual(await page.getByTestId('confirmation-code').innerText(), parentCode);
  assert.equal(await page.getByRole('button', { name: /Now book for the other people/ }).count(), 0);
  await page.close();
});

/** Presses Tab until the element matching `selector` has focus (at most `max` times): the order a keyboard user meets. */
async function tabTo(page: Page, selector: string, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

test('the keyboard alone books an appointment (no pointer event at all)', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(base);
  await page.evaluate(() => {
    (window as unknown as { pointerEvents: number }).pointerEvents = 0;
    for (const type of ['pointerdown', 'mousedown', 'mouseup']) addEventListener(type, () => { (window as unknown as { pointerEvents: number }).pointerEvents++; }, true);
  });
  await page.getByRole('heading', { name: 'Can you book now?' }).waitFor();
  await tabTo(page, '#dob'); await page.keyboard.type('2');
  await tabTo(page, '#dob-m'); await page.keyboard.type('3');
  await tabTo(page, '#dob-y'); await page.keyboard.type('1950');
  await tabTo(page, '#place'); await page.keyboard.type('Barrie');
  await tabTo(page, 'button[type="submit"]'); await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Clinics near Barrie' }).waitFor();
  await tabTo(page, '.vb-days button'); await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Choose a time for your first dose' }).waitFor();
  await page.locator('input[name="dose2"]:checked').waitFor();
  await tabTo(page, 'input[name="dose1"]'); await page.keyboard.press('Space');
  await tabTo(page, '#continue'); await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  await tabTo(page, '#identifier'); await page.keyboard.type(withCheckDigits('ontario-health-card', '555000111'));
  await tabTo(page, '#givenName'); await page.keyboard.type('Kay');
  await tabTo(page, '#familyName'); await page.keyboard.type('Board');
  await tabTo(page, '#mobile'); await page.keyboard.type('+1 705 555 0199');
  await tabTo(page, '#consent'); await page.keyboard.press('Space');
  await tabTo(page, 'button[type="submit"]'); await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor();
  assert.match(await page.getByTestId('confirmation-code').innerText(), /^[2-9A-Y]{4}-[2-9A-Y]{4}-[2-9A-Y]{2}$/);
  assert.equal(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents), 0);
  await page.close();
});

/** A new page at the times of the first day offered near `town`, the suggested dose 2 chosen. */
async function atFirstDayNear(born: [string, string, string], town: string) {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(base);
  await eligibility(page, born, town);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: `Clinics near ${town}` }).waitFor();
  await page.locator('.vb-days button').first().click();
  await page.locator('input[name="dose2"]:checked').waitFor();
  return page;
}

test('a time taken by someone else while choosing: the person is told and offered the nearest free times', { skip: missing }, async () => {
  const page = await atFirstDayNear(['9', '9', '1949'], 'Orillia');
  const first = page.locator('input[name="dose1"]').first();
  await first.check();
  // Another client takes every place of that time, holding whole series (a dose 1 is never held alone) with
  // the other dose-2 times of the day, so the person's own dose-2 choice stays free.
  const slotId = Number((await first.getAttribute('id'))!.replace('dose1-', ''));
  const chosen2 = await page.locator('input[name="dose2"]:checked').getAttribute('id');
  const others2 = (await page.locator('input[name="dose2"]').evaluateAll((els) => els.map((e) => e.id)))
    .filter((id) => id !== chosen2).map((id) => Number(id.replace('dose2-', '')));
  let k = 0;
  let crowd = 0; // a crowd of other clients, each within its own hold limit
  for (let seats = 10; seats >= 1; seats--) {
    for (;;) {
      const r = await fetch(`${base}/api/v1/holds`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${1 + (crowd++ % 250)}` },
        body: JSON.stringify({ slots: [{ dose: 1, slotId }, { dose: 2, slotId: others2[k] }], seats }) });
      if (r.status === 201) continue;
      const full = ((await r.json()) as { detail?: { slotId?: number } }).detail?.slotId;
      if (full === others2[k] && k + 1 < others2.length) { k++; continue; }
      break;
    }
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'That time has just been taken' }).waitFor();
  await page.locator('.govuk-error-summary').waitFor();
  await shot(page, 'en-slot-taken');
  const alternative = page.locator('.govuk-inset-text button').first();
  await alternative.click();
  assert.equal(await page.locator('input[name="dose1"]:checked').count(), 1, 'the alternative is chosen');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  await page.close();
});

test('the dose-2 time taken while choosing: the nearest free times of that day are offered for dose 2', { skip: missing }, async () => {
  const page = await atFirstDayNear(['3', '3', '1951'], 'Barrie');
  await page.locator('input[name="dose1"]').first().check();
  const chosen2 = await page.locator('input[name="dose2"]:checked').getAttribute('id');
  const slotId = Number(chosen2!.replace('dose2-', ''));
  // Others take every place of the chosen dose-2 time (a dose 2 may be held alone: a second dose after a first elsewhere).
  let crowd = 0;
  for (let seats = 10; seats >= 1; seats--) {
    for (;;) {
      const r = await fetch(`${base}/api/v1/holds`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${1 + (crowd++ % 250)}` },
        body: JSON.stringify({ slots: [{ dose: 2, slotId }], seats }) });
      if (r.status !== 201) break;
    }
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'That time has just been taken' }).waitFor();
  await page.locator('.govuk-inset-text button').first().click();
  const now2 = await page.locator('input[name="dose2"]:checked').getAttribute('id');
  assert.ok(now2 && now2 !== chosen2, `another dose-2 time is chosen (${now2})`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  await page.close();
});

test('manage: find the booking, move dose 2, then dose 1 (dose 2 staying in its interval), cancel one, then everything', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(base);
  // Booked through the API here: the portal's booking path has its own tests.
  const search = await (await fetch(`${base}/api/v1/availability/search`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ place: 'Collingwood', dateOfBirth: '1948-08-08', radiusKm: 25, limit: 1 }) })).json();
  const d = search.items[0].days[0];
  const times2 = await (await fetch(`${base}/api/v1/clinics/${d.nextDose.clinicId}/days/${d.nextDose.day}/slots`)).json();
  const booked = await (await fetch(`${base}/api/v1/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
    slots: [{ dose: 1, slotId: d.firstTimes[0].slotId }, { dose: 2, slotId: times2.items[0].slotId }],
    persons: [{ identifier: withCheckDigits('ontario-health-card', '480808080'), dateOfBirth: '1948-08-08', givenName: 'Mo', familyName: 'Mover', email: 'mo@example.org' }],
  }) })).json();
  await page.getByRole('button', { name: 'View, change or cancel a booking' }).click();
  await page.getByRole('heading', { name: 'Manage your booking' }).waitFor();
  await shot(page, 'en-manage-1-find');
  await page.getByLabel('Confirmation code').fill(booked.confirmationCode.toLowerCase());
  await page.getByLabel(/^Day$/).fill('8');
  await page.getByLabel(/^Month$/).fill('8');
  await page.getByLabel(/^Year$/).fill('1948');
  await page.getByRole('button', { name: 'Find my booking' }).click();
  await page.getByRole('button', { name: 'Change dose 2' }).waitFor();
  await shot(page, 'en-manage-2-booking');
  await page.getByRole('button', { name: 'Change dose 2' }).click();
  await page.getByRole('heading', { name: 'A new time for dose 2' }).waitFor();
  await shot(page, 'en-manage-3-change');
  await page.locator('.vb-picker .vb-days button').nth(1).click();
  await page.locator('input[name="pick"]').first().click(); // one click: choosing the time is the action
  await page.getByRole('heading', { name: 'A new time for dose 2' }).waitFor({ state: 'detached' });
  const after = await (await fetch(`${base}/api/v1/bookings/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmationCode: booked.confirmationCode, dateOfBirth: '1948-08-08' }) })).json();
  const dose2 = after.appointments.find((a: { dose: number; status: string }) => a.dose === 2 && a.status === 'booked');
  assert.notEqual(dose2.slotId, times2.items[0].slotId, 'dose 2 moved');
  // Dose 1 moves too, only to days that keep dose 2 where it now is, inside its interval.
  await page.getByRole('button', { name: 'Change dose 1' }).click();
  await page.getByRole('heading', { name: 'A new time for dose 1' }).waitFor();
  await page.locator('.vb-picker .vb-days button').nth(1).click();
  await page.locator('input[name="pick"]').first().click(); // one click: choosing the time is the action
  await page.getByRole('heading', { name: 'A new time for dose 1' }).waitFor({ state: 'detached' });
  const moved = await (await fetch(`${base}/api/v1/bookings/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmationCode: booked.confirmationCode, dateOfBirth: '1948-08-08' }) })).json();
  const live = (dose: number) => moved.appointments.find((a: { dose: number; status: string }) => a.dose === dose && a.status === 'booked');
  assert.notEqual(live(1).slotId, d.firstTimes[0].slotId, 'dose 1 moved');
  assert.equal(live(2).slotId, dose2.slotId, 'dose 2 stayed');
  // Dose 1 goes only with the dose after it, and its button says so; dose 2 may go alone.
  await page.getByRole('button', { name: 'Cancel dose 1 and the doses after it' }).waitFor();
  // Cancelling asks first: "No, go back" keeps the appointment as it was.
  const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
  await page.getByRole('button', { name: 'Cancel dose 2' }).click();
  await page.getByRole('alertdialog', { name: 'Cancel dose 2?' }).waitFor();
  assert.match(await focused(), /^Cancel dose 2\?/, 'the question takes the focus');
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel dose 2');
  await page.getByRole('button', { name: 'Cancel dose 2' }).click();
  await page.getByRole('button', { name: 'No, go back' }).click();
  await page.getByRole('alertdialog').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel dose 2', undefined, { timeout: 5_000 });
  const kept = await (await fetch(`${base}/api/v1/bookings/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirmationCode: booked.confirmationCode, dateOfBirth: '1948-08-08' }) })).json();
  assert.equal(kept.appointments.filter((a: { status: string }) => a.status === 'booked').length, 2, '"No" cancels nothing');
  await page.getByRole('button', { name: 'Cancel dose 2' }).click();
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await page.locator('.govuk-tag', { hasText: 'Cancelled' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Your booking has been updated.', undefined, { timeout: 5_000 });
  await page.getByRole('button', { name: 'Cancel dose 1', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Cancel all appointments' }).click();
  await page.getByRole('alertdialog', { name: 'Cancel all appointments?' }).waitFor();
  await page.getByRole('button', { name: 'Yes, cancel' }).click();
  await page.getByRole('button', { name: 'Cancel all appointments' }).waitFor({ state: 'detached' });
  await shot(page, 'en-manage-4-cancelled');
  await page.close();
});

test('the times kept run out while typing: what was typed stays, the person picks again and books', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(base);
  await eligibility(page, ['4', '4', '1944'], 'Midland');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Clinics near Midland' }).waitFor();
  await page.locator('.vb-days button').first().click();
  await page.locator('input[name="dose1"]').first().check();
  await page.locator('input[name="dose2"]:checked').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  const card = withCheckDigits('ontario-health-card', '444000444');
  await page.getByLabel('Health card number').fill(card);
  await page.getByLabel('First name').fill('Tim');
  await page.getByLabel('Last name').fill('Late');
  await page.getByLabel('Email address').fill('tim@example.org');
  await page.getByLabel(/I agree/).check();
  // The server lets the hold lapse (as the sweeper would) while the person is still typing.
  await pool.query(`UPDATE holds SET expires_at = now() - interval '1 second' WHERE status = 'active'`);
  await page.getByRole('button', { name: 'Confirm and book' }).click();
  await page.getByText('The times we kept for you were released').waitFor();
  await shot(page, 'en-hold-expired');
  await page.locator('.vb-days button').first().click();
  await page.locator('input[name="dose1"]').first().check();
  await page.locator('input[name="dose2"]:checked').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your details' }).waitFor();
  assert.equal(await page.getByLabel('Health card number').inputValue(), card, 'what was typed is kept');
  assert.equal(await page.getByLabel('Email address').inputValue(), 'tim@example.org');
  await page.getByRole('button', { name: 'Confirm and book' }).click();
  await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor();
  await page.close();
});

test('the service is busy: the page counts down, tries again by itself, and the search arrives', { skip: missing }, async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  let refused = 0;
  // A launch-day rush as the load balancer answers it: the first search is refused with Retry-After.
  await page.route('**/api/v1/availability/search', async (route) => {
    if (refused++ === 0) return route.fulfill({ status: 503, headers: { 'retry-after': '3', 'content-type': 'application/json' }, body: JSON.stringify({ code: 'busy', message: 'busy' }) });
    return route.continue();
  });
  await page.goto(base);
  await eligibility(page, ['5', '5', '1945'], 'Barrie');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText(/The service is busy. Trying again in \d s/).waitFor();
  await shot(page, 'en-busy');
  await page.getByRole('heading', { name: 'Clinics near Barrie' }).waitFor();
  assert.equal(refused, 2, 'one refusal, then one successful retry');
  await page.getByText(/The service is busy/).waitFor({ state: 'detached' });
  await page.close();
});

test('service status: from the home page, in French, e-mail disrupted and said so in plain words, booking working', { skip: missing }, async () => {
  // Whatever earlier tests sent, all of it is out but one e-mail, due 40 minutes ago.
  await pool.query(`UPDATE outbox SET status = 'sent', sent_at = now(), sending_until = NULL`);
  const late = await pool.query(`UPDATE outbox SET status = 'queued', due_since = now() - interval '40 minutes' WHERE id = (SELECT min(id) FROM outbox WHERE channel = 'email')`);
  assert.equal(late.rowCount, 1, 'the earlier bookings wrote e-mails');
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  await page.goto(base);
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('link', { name: 'État du service' }).click();
  await page.getByRole('heading', { name: 'État du service' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/status');
  await page.getByText('Une partie du service est perturbée. Détails ci-dessous.').waitFor();
  const row = (name: string) => page.locator('.govuk-summary-list__row', { hasText: name });
  assert.match(await row('Réserver, modifier et annuler des rendez-vous').innerText(), /Fonctionne/);
  assert.match(await row('Confirmations et rappels par courriel').innerText(), /Perturbé[\s\S]*40 minutes de retard[\s\S]*1 message en attente/);
  assert.match(await row('Messages texte (SMS)').innerText(), /Fonctionne/);
  await shot(page, 'fr-status');
  // The address works on its own (a link shared in the news); the language chosen is kept.
  await page.goto(`${base}/status`);
  await page.getByRole('heading', { name: 'État du service' }).waitFor();
  await page.getByText('Une partie du service est perturbée. Détails ci-dessous.').waitFor();
  await page.close();
});
