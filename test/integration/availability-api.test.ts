import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { ageInMonths } from '../../src/domain/age.js';
import { productFitsAge } from '../../src/domain/dose-series.js';
import { DEMO_PRODUCTS } from '../../src/seed/catalogue.js';
import { buildApp } from '../../src/http/app.js';
import { addDays, localDate } from '../../src/domain/calendar.js';
import { loadDemoProvince } from '../../src/services/data-set-service.js';
import { freshDatabase } from '../helpers/db.js';

let app: FastifyInstance;
let pool: pg.Pool;
const today = localDate(new Date(), 'America/Toronto');

before(async () => {
  ({ pool } = await freshDatabase());
  await loadDemoProvince(pool, 42);
  // Search mechanics, whoever asks: without the demo's roll-out every adult may book (eligibility-api tests the roll-out).
  await pool.query('DELETE FROM rollout_versions');
  app = await buildApp({ pool, logLevel: process.env.DBG ? 'error' : 'silent' });
});
after(() => app.close());

const search = (body: Record<string, unknown>, lang = 'en') =>
  app.inject({ method: 'POST', url: '/api/v1/availability/search', payload: body, headers: { 'accept-language': lang } });

test('a town name finds clinics nearest first, each day paired with a dose 2 in its window', async () => {
  const r = await search({ place: 'Barrie', dateOfBirth: '1951-06-15', radiusKm: 40, limit: 5 });
  assert.equal(r.statusCode, 200, r.body);
  const { items } = r.json();
  assert.ok(items.length > 0);
  const distances = items.map((c: { clinic: { distanceKm: number } }) => c.clinic.distanceKm);
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
  for (const c of items) {
    assert.ok(c.clinic.distanceKm <= 40);
    for (const d of c.days) {
      assert.ok(d.day >= today && d.freeCapacity > 0);
      if (c.days.indexOf(d) < 3) assert.ok(d.firstTimes.length > 0, 'the first days come with their first free times');
      if (d.product.code !== 'janssen') {
        assert.ok(d.nextDose, 'dose 1 of a two-dose product comes with its dose 2');
        assert.ok(d.nextDose.day >= addDays(d.day, 21), 'dose 2 at least 21 days later');
      }
    }
  }
  const first = items[0].days[0];
  const slots = await app.inject(`/api/v1/clinics/${items[0].clinic.id}/days/${first.day}/slots?product=${first.product.code}`);
  assert.equal(slots.statusCode, 200);
  assert.equal(slots.json().items[0].slotId, first.firstTimes[0].slotId);
  // Asked for, every day comes with its first times; asked for none, none do.
  const every = (await search({ place: 'Barrie', dateOfBirth: '1951-06-15', radiusKm: 40, limit: 5, firstTimesDays: 92 })).json().items;
  assert.ok(every.some((c: { days: unknown[] }) => c.days.length > 3));
  for (const c of every) for (const d of c.days) assert.ok(d.firstTimes.length > 0, `${c.clinic.id} ${d.day} has its first times`);
  const none = (await search({ place: 'Barrie', dateOfBirth: '1951-06-15', radiusKm: 40, limit: 5, firstTimesDays: 0 })).json().items;
  assert.ok(none.every((c: { days: Array<{ firstTimes: unknown[] }> }) => c.days.every((d) => d.firstTimes.length === 0)));
});

test('pages follow each other by cursor without repeats, until the end', async () => {
  const seen = new Set<number>();
  let cursor: string | undefined;
  let last = 0;
  for (let page = 0; page < 100; page++) {
    const r = await search({ place: 'Kingston', dateOfBirth: '1980-01-01', radiusKm: 30, limit: 2, ...(cursor ? { cursor } : {}) });
    assert.equal(r.statusCode, 200, r.body);
    for (const c of r.json().items) {
      assert.ok(!seen.has(c.clinic.id));
      assert.ok(c.clinic.distanceKm >= last);
      last = c.clinic.distanceKm;
      seen.add(c.clinic.id);
    }
    cursor = r.json().nextCursor;
    if (!cursor) break;
  }
  assert.equal(cursor, undefined, 'the last page has no cursor');
  assert.ok(seen.size > 2);
});

test('clinics shown at the same distance come by earliest day, and pages split them without repeats or gaps', async () => {
  type Item = { clinic: { id: number; distanceKm: number }; days: Array<{ day: string }> };
  const key = (c: Item) => [c.clinic.distanceKm, c.days[0]!.day, c.clinic.id] as const;
  const whole: Item[] = (await search({ place: 'Toronto', dateOfBirth: '1980-01-01', radiusKm: 20, limit: 50 })).json().items;
  for (let i = 1; i < whole.length; i++) {
    const [a, b] = [key(whole[i - 1]!), key(whole[i]!)];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2]))), `${a} then ${b}`);
  }
  const ties = whole.filter((c, i) => i > 0 && c.clinic.distanceKm === whole[i - 1]!.clinic.distanceKm && c.days[0]!.day !== whole[i - 1]!.days[0]!.day);
  assert.ok(ties.length > 0, 'the demo has clinics shown at the same distance with different first days');
  const paged: number[] = [];
  let cursor: string | undefined;
  do {
    const r = await search({ place: 'Toronto', dateOfBirth: '1980-01-01', radiusKm: 20, limit: 3, ...(cursor ? { cursor } : {}) });
    paged.push(...r.json().items.map((c: Item) => c.clinic.id));
    cursor = r.json().nextCursor;
  } while (cursor && paged.length < whole.length);
  assert.deepEqual(paged.slice(0, whole.length), whole.map((c) => c.clinic.id));
});

test('an empty answer says why and where the nearest availability is', async () => {
  // In Lake Superior: no clinic within 5 km.
  const lake = await search({ latitude: 47.6, longitude: -87.5, radiusKm: 5, dateOfBirth: '1970-01-01' });
  assert.equal(lake.statusCode, 200);
  assert.deepEqual(lake.json().items, []);
  assert.equal(lake.json().explanation.reason, 'no_clinics');
  assert.ok(lake.json().explanation.nearest.clinic.name);
  // Two months old: no vaccine in the catalogue is for this age.
  const baby = await search({ place: 'Toronto', dateOfBirth: addDays(today, -60), radiusKm: 25 }, 'fr');
  assert.equal(baby.json().explanation.reason, 'not_eligible');
  assert.match(baby.json().explanation.message, /ne conviennent pas/);
});

test('a second dose is offered only inside its window; a booster only after its interval', async () => {
  const d1 = addDays(today, -30);
  const r = await search({ place: 'Ottawa', dateOfBirth: '1970-01-01', dose: 2, previousDoseDate: d1, previousProduct: 'moderna-spikevax', radiusKm: 30, limit: 3 });
  assert.equal(r.statusCode, 200, r.body);
  for (const c of r.json().items) for (const d of c.days) {
    assert.ok(d.day >= addDays(d1, 28));
    assert.equal(d.nextDose, null);
    assert.notEqual(d.product.code, 'janssen');
  }
  const early = await search({ place: 'Ottawa', dateOfBirth: '1970-01-01', dose: 'booster', previousDoseDate: addDays(today, -10), previousProduct: 'pfizer-comirnaty', radiusKm: 30, to: addDays(today, 60) });
  for (const c of early.json().items) for (const d of c.days) assert.ok(d.day >= addDays(today, 74), `booster on ${d.day}`);
});

test('a dose 2 due after today is searched from its due day; dates before it are said to be too soon', async () => {
  const d1 = addDays(today, 7); // a dose 1 still ahead (booked, or being booked)
  const due = await search({ place: 'Ottawa', dateOfBirth: '1970-01-01', dose: 2, previousDoseDate: d1, previousProduct: 'moderna-spikevax', radiusKm: 30 });
  assert.equal(due.statusCode, 200, due.body);
  const days = due.json().items.flatMap((c: { days: Array<{ day: string }> }) => c.days.map((d) => d.day));
  assert.ok(days.length > 0, 'offered from the day dose 2 is due, without dates asked');
  assert.ok(days.every((d: string) => d >= addDays(d1, 28)), days.join());
  const tooSoon = await search({ place: 'Ottawa', dateOfBirth: '1970-01-01', dose: 2, previousDoseDate: d1, previousProduct: 'moderna-spikevax', radiusKm: 30, to: addDays(today, 20) }, 'fr');
  assert.deepEqual([tooSoon.statusCode, tooSoon.json().items.length, tooSoon.json().explanation.reason], [200, 0, 'dose_not_due']);
  assert.match(tooSoon.json().explanation.message, /trop tôt/);
  assert.ok(tooSoon.json().explanation.nearest.day >= addDays(d1, 28), 'the nearest is a day it is due');
});

test('bad search input names the field', async () => {
  const place = await search({ place: 'Atlantis', dateOfBirth: '1970-01-01' });
  assert.equal(place.statusCode, 400);
  assert.equal(place.json().field, 'place');
  const noWhere = await search({ dateOfBirth: '1970-01-01' });
  assert.equal(noWhere.json().field, 'place');
  const future = await search({ place: 'Barrie', dateOfBirth: addDays(today, 3) });
  assert.equal(future.json().field, 'dateOfBirth');
  const noPrev = await search({ place: 'Barrie', dateOfBirth: '1970-01-01', dose: 2 });
  assert.equal(noPrev.json().field, 'previousDoseDate');
  const radius = await search({ place: 'Barrie', dateOfBirth: '1970-01-01', radiusKm: 5000 });
  assert.equal(radius.json().field, 'radiusKm');
  const cursor = await search({ place: 'Barrie', dateOfBirth: '1970-01-01', cursor: 'garbage' });
  assert.equal(cursor.json().field, 'cursor');
});

test('several people booked together are offered only days whose vaccine suits them all', async () => {
  const kid = addDays(today, -(8 * 366));
  const together = await search({ place: 'Barrie', dateOfBirth: '1980-01-01', alsoFor: [kid], radiusKm: 50 });
  assert.equal(together.statusCode, 200, together.body);
  assert.deepEqual(together.json().items, [], 'no vaccine suits an adult and an 8-year-old at once');
  assert.equal(together.json().explanation.reason, 'no_common_product', 'each has a vaccine here, only not the same one');
  assert.match(together.json().explanation.message, /Book them separately/);
  const babyAlone = await search({ place: 'Barrie', dateOfBirth: addDays(today, -200), radiusKm: 50 });
  assert.notEqual(babyAlone.json().explanation?.reason, 'no_common_product', 'one person alone is never told to book separately');
  const kids = await search({ place: 'Barrie', dateOfBirth: kid, alsoFor: [addDays(today, -(10 * 366))], radiusKm: 50 });
  const products = new Set(kids.json().items.flatMap((c: { days: Array<{ product: { code: string } }> }) => c.days.map((d) => d.product.code)));
  assert.deepEqual([...products], ['pfizer-pediatric']);
});

test('moving dose 1 while dose 2 stays: only days that keep dose 2 in its interval, same vaccine, and what is offered can be booked', async () => {
  const first = (await search({ place: 'Barrie', dateOfBirth: '1962-02-02', radiusKm: 40, limit: 1, product: 'moderna-spikevax' })).json().items[0];
  const d = first.days[0];
  const dose2Times = (await app.inject({ method: 'GET', url: `/api/v1/clinics/${d.nextDose.clinicId}/days/${d.nextDose.day}/slots` })).json().items;
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: {
    slots: [{ dose: 1, slotId: d.firstTimes[0].slotId }, { dose: 2, slotId: dose2Times.find((s: { product: string }) => s.product === 'moderna-spikevax').slotId }],
    persons: [{ identifier: '9876543225', dateOfBirth: '1962-02-02', givenName: 'Ed', familyName: 'Early', email: 'ed@example.org' }],
  } });
  assert.equal(booked.statusCode, 201, booked.body);

  const moved = await search({ place: 'Barrie', dateOfBirth: '1962-02-02', radiusKm: 40, dose: 1, nextDoseDate: d.nextDose.day, nextProduct: 'moderna-spikevax', to: addDays(today, 60) });
  assert.equal(moved.statusCode, 200, moved.body);
  const offered = moved.json().items.flatMap((c: { days: Array<{ day: string; product: { code: string }; nextDose: unknown; firstTimes: Array<{ slotId: number }> }> }) => c.days);
  assert.ok(offered.length > 0);
  for (const o of offered) {
    assert.ok(o.day <= addDays(d.nextDose.day, -28), `${o.day}: Moderna dose 2 stays at least 28 days after dose 1`);
    assert.equal(o.product.code, 'moderna-spikevax');
    assert.equal(o.nextDose, null, 'dose 2 is booked already: nothing to pair');
  }
  const other = offered.find((o: { day: string; firstTimes: unknown[] }) => o.day !== d.day && o.firstTimes.length > 0);
  const r = await app.inject({ method: 'POST', url: '/api/v1/bookings/reschedule', payload: {
    confirmationCode: booked.json().confirmationCode, dateOfBirth: '1962-02-02', dose: 1, slotId: other.firstTimes[0].slotId } });
  assert.equal(r.statusCode, 200, r.body);

  const tooLate = await search({ place: 'Barrie', dateOfBirth: '1962-02-02', radiusKm: 40, dose: 1, nextDoseDate: addDays(today, 10), nextProduct: 'moderna-spikevax' });
  assert.equal(tooLate.json().explanation.reason, 'outside_window');
  const bad = await search({ place: 'Barrie', dateOfBirth: '1962-02-02', dose: 1, nextDoseDate: d.nextDose.day, nextProduct: 'nope' });
  assert.equal(bad.json().field, 'nextProduct');
  const last = await search({ place: 'Barrie', dateOfBirth: '1962-02-02', dose: 2, previousDoseDate: today, previousProduct: 'moderna-spikevax', nextDoseDate: d.nextDose.day, nextProduct: 'moderna-spikevax' });
  assert.equal(last.json().field, 'nextDoseDate');
});

test('a postal code or a town is placed where it is, however it is typed', async () => {
  const nearestCity = async (place: string) => {
    const r = await search({ place, dateOfBirth: '1970-01-01', radiusKm: 60, limit: 1 });
    assert.equal(r.statusCode, 200, `${place}: ${r.body}`);
    const first = r.json().items[0];
    assert.ok(first, `${place}: no clinic within 60 km`);
    return { city: first.clinic.address.city as string, km: first.clinic.distanceKm as number };
  };
  // Postal codes of real areas, whether or not a clinic's address carries them, in every usual spelling.
  for (const code of ['L4M 3X9', 'l4m3x9', 'L4M', 'L4N 0A1', 'L4M-3X9']) {
    const n = await nearestCity(code);
    assert.equal(n.city, 'Barrie', code);
    assert.ok(n.km < 10, `${code}: ${n.km} km`);
  }
  assert.match((await nearestCity('K2K 1X7')).city, /^(Kanata|Ottawa)$/, 'K2K is Kanata, in Ottawa');
  // Town names as people write them; a name shared with a town elsewhere in Canada means the one this service covers.
  assert.equal((await nearestCity('Sudbury')).city, 'Greater Sudbury');
  assert.equal((await nearestCity('Sault Sainte Marie')).city, 'Sault Ste. Marie');
  assert.equal((await nearestCity('saint catharines')).city, 'St. Catharines');
  assert.equal((await nearestCity('Saint Thomas')).city, 'St. Thomas');
  assert.equal((await nearestCity('Barrie, ON')).city, 'Barrie');
  const richmond = await search({ place: 'Richmond', dateOfBirth: '1970-01-01', radiusKm: 30, limit: 1 });
  assert.ok(richmond.json().items.length > 0, 'Richmond, Ontario (near Ottawa), not Richmond, British Columbia');
  const unknown = await search({ place: 'Z9Z 9Z9', dateOfBirth: '1970-01-01' }, 'fr');
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().field, 'place');
  assert.match(unknown.json().message, /inconnu/);
});

test('people booked together are offered only days and times with room for all of them, and a dose 2 that suits them all', async () => {
  const near = { place: 'Barrie', radiusKm: 40, limit: 50 };
  const one = (await search({ ...near, dateOfBirth: '1975-03-03' })).json();
  const clinic = one.items[0];
  const day = clinic.days[0];
  // Leave that day one free place per time, but for one time with two.
  const { rows: [ids] } = await pool.query<{ clinic_day_id: number; product_id: number }>(
    'SELECT s.clinic_day_id, s.product_id FROM slots s WHERE s.id = $1', [day.firstTimes[0].slotId]);
  await pool.query(`UPDATE slots SET capacity = booked + held + 1 WHERE clinic_day_id = $1 AND product_id = $2 AND starts_at > now()`, [ids!.clinic_day_id, ids!.product_id]);
  const range = { from: day.day, to: day.day };
  const dayAt = (body: { items: Array<{ clinic: { id: number }; days: Array<{ day: string; product: { code: string } }> }> }) =>
    body.items.find((c) => c.clinic.id === clinic.clinic.id)?.days.find((d) => d.day === day.day && d.product.code === day.product.code);
  const pair = { ...near, ...range, dateOfBirth: '1975-03-03', alsoFor: ['1978-04-04'] };
  assert.ok(dayAt((await search({ ...near, ...range, dateOfBirth: '1975-03-03' })).json()), 'one person: the day is offered');
  assert.equal(dayAt((await search(pair)).json()), undefined, 'two people: no time of that day has room for both');
  const slotsUrl = (seats: number) => `/api/v1/clinics/${clinic.clinic.id}/days/${day.day}/slots?product=${day.product.code}&seats=${seats}`;
  assert.deepEqual((await app.inject({ method: 'GET', url: slotsUrl(2) })).json().items, []);
  assert.ok((await app.inject({ method: 'GET', url: slotsUrl(1) })).json().items.length > 0);

  const roomy = (await app.inject({ method: 'GET', url: slotsUrl(1) })).json().items.at(-1);
  await pool.query('UPDATE slots SET capacity = capacity + 1 WHERE id = $1', [roomy.slotId]);
  const offered = (await search(pair)).json();
  const d = offered.items.find((c: { clinic: { id: number } }) => c.clinic.id === clinic.clinic.id)?.days.find((x: { day: string; product: { code: string } }) => x.day === day.day && x.product.code === day.product.code);
  assert.ok(d, 'a time with room for two makes the day bookable for two');
  assert.equal(d.freeCapacity, 2, 'free places counted in times with room for both');
  assert.deepEqual(d.firstTimes.map((t: { slotId: number }) => t.slotId), [roomy.slotId]);
  // What is offered can be held for both.
  const dose2 = (await app.inject({ method: 'GET', url: `/api/v1/clinics/${d.nextDose.clinicId}/days/${d.nextDose.day}/slots?product=${d.nextDose.product}&seats=2` })).json().items[0];
  const hold = await app.inject({ method: 'POST', url: '/api/v1/holds', payload: { slots: [{ dose: 1, slotId: roomy.slotId }, { dose: 2, slotId: dose2.slotId }], seats: 2, dateOfBirth: '1975-03-03' } });
  assert.equal(hold.statusCode, 201, hold.body);

  // Children booked together: every dose 2 suggested suits each of them on its day. At 5 and 3 (the older
  // soon too old for the vaccine the younger needs) there may be none; at 9 and 7 there is.
  const products = new Map(DEMO_PRODUCTS.map((p) => [p.code, p]));
  for (const kids of [[addDays(today, -(5 * 365 + 330)), addDays(today, -(3 * 365 + 330))], [addDays(today, -(9 * 365)), addDays(today, -(7 * 365))]]) {
    const r = (await search({ place: 'Toronto', radiusKm: 30, limit: 50, dateOfBirth: kids[0], alsoFor: [kids[1]], to: addDays(today, 40) })).json();
    const suggested = r.items.flatMap((c: { days: Array<{ day: string; product: { code: string }; nextDose: { day: string; product: string } }> }) => c.days);
    if (kids[0]! < addDays(today, -(8 * 365))) assert.ok(suggested.length > 0, `children of 9 and 7: ${JSON.stringify(r.explanation)}`);
    else if (suggested.length === 0) assert.ok(['no_dose2', 'no_room_together'].includes(r.explanation.reason), r.explanation.reason);
    for (const s of suggested) {
      for (const [day, code] of [[s.day, s.product.code], [s.nextDose.day, s.nextDose.product]] as const) {
        for (const dob of kids) assert.ok(productFitsAge(products.get(code)!, ageInMonths(dob!, day)), `${code} on ${day} for a child born ${dob}`);
      }
    }
  }
});

test('an empty answer finds the nearest availability beyond the dates and product asked; past dates and altered cursors are refused by name', async () => {
  const later = (await search({ place: 'Barrie', radiusKm: 5, dateOfBirth: '1980-05-01', from: addDays(today, 120), to: addDays(today, 130) })).json();
  assert.deepEqual(later.items, []);
  assert.equal(later.explanation.reason, 'nothing_published');
  assert.ok(later.explanation.nearest, 'the nearest availability is found before the dates asked');
  const janssenChild = (await search({ place: 'Barrie', radiusKm: 10, dateOfBirth: addDays(today, -(14 * 366)), product: 'janssen' })).json();
  assert.equal(janssenChild.explanation.reason, 'product_not_offered', 'the product filter, not their age, leaves nothing');
  assert.ok(janssenChild.explanation.nearest, 'another vaccine for them nearby');
  const past = await search({ place: 'Barrie', dateOfBirth: '1980-05-01', to: addDays(today, -1) }, 'fr');
  assert.equal(past.json().field, 'to');
  assert.match(past.json().message, /passée/);
  for (const c of [[1e999, 5], [-1, -5], [0, 1.5]]) {
    const r = await search({ place: 'Barrie', dateOfBirth: '1980-05-01', cursor: Buffer.from(JSON.stringify(c)).toString('base64url') });
    assert.equal(r.statusCode, 400, JSON.stringify(c));
  }
});

test('a party no single time has room for is told so (and to book separately), not that dose 2 is missing', async () => {
  const near = { place: 'Kenora', radiusKm: 25, limit: 50 };
  const alone = (await search({ ...near, dateOfBirth: '1985-01-01' })).json();
  const ids = alone.items.map((c: { clinic: { id: number } }) => c.clinic.id);
  assert.ok(ids.length > 0, 'something near Kenora');
  await pool.query('UPDATE slots SET capacity = booked + held + 1 WHERE clinic_id = ANY($1) AND starts_at > now() AND capacity > booked + held', [ids]);
  assert.ok((await search({ ...near, dateOfBirth: '1985-01-01' })).json().items.length > 0, 'one person still finds a time');
  const two = (await search({ ...near, dateOfBirth: '1985-01-01', alsoFor: ['1987-01-01'] }, 'fr')).json();
  assert.deepEqual(two.items, []);
  assert.equal(two.explanation.reason, 'no_room_together');
  assert.match(two.explanation.message, /Réservez séparément/);
});

test('dates whose vaccination days were all cancelled are said to be cancelled, not unpublished', async () => {
  const day = addDays(today, 9);
  const near = { place: 'Kingston', dateOfBirth: '1980-01-01', radiusKm: 15, from: day, to: day };
  assert.ok((await search(near)).json().items.length > 0, 'Kingston has clinics open that day');
  await pool.query(`UPDATE clinic_days SET cancelled_at = now(), cancel_reason = 'storm' WHERE day = $1 AND published_at IS NOT NULL`, [day]);
  try {
    const r = (await search(near, 'fr')).json();
    assert.deepEqual([r.items.length, r.explanation.reason], [0, 'days_cancelled']);
    assert.match(r.explanation.message, /annulées/);
    assert.ok(r.explanation.nearest, 'the nearest availability on other dates');
  } finally {
    await pool.query(`UPDATE clinic_days SET cancelled_at = NULL, cancel_reason = NULL WHERE day = $1 AND cancel_reason = 'storm'`, [day]);
  }
});

test('an invitation code that can never be used finds nothing bookable, as booking and screening refuse it; without it the same person finds times', async () => {
  const who = { place: 'Kingston', dateOfBirth: '1980-01-01', radiusKm: 15, limit: 1 };
  const open = (await search(who)).json();
  assert.ok(open.items.length > 0, 'an adult may book without a code here');
  for (const [lang, message] of [['en', /cannot be used/], ['fr', /ne permet pas/]] as const) {
    const r = (await search({ ...who, invitationCode: 'ZZZZ-ZZZZ' }, lang)).json();
    assert.deepEqual([r.items.length, r.explanation.reason, r.explanation.eligibility[0].code], [0, 'invitation_refused', 'invitation_unknown']);
    assert.match(r.explanation.message, message);
  }
  const screened = await app.inject({ method: 'POST', url: '/api/v1/eligibility', payload: { dateOfBirth: '1980-01-01', place: 'Kingston', invitationCode: 'ZZZZ-ZZZZ' } });
  assert.equal(screened.json().eligible, false, screened.body);
  assert.equal(screened.json().reasons[0].code, 'invitation_unknown');
  const { slotId } = open.items[0].days[0].firstTimes[0];
  const { nextDose } = open.items[0].days[0];
  const { slotId: second } = (await app.inject({ method: 'GET', url: `/api/v1/clinics/${nextDose.clinicId}/days/${nextDose.day}/slots` })).json().items[0];
  const booked = await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: { invitationCode: 'ZZZZ-ZZZZ', slots: [{ dose: 1, slotId }, { dose: 2, slotId: second }],
    persons: [{ identifier: '1234567897', dateOfBirth: '1980-01-01', givenName: 'Ada', familyName: 'Tester', email: 'ada@example.org' }] } });
  assert.equal(booked.json().code, 'invitation_unknown', booked.body);
});
