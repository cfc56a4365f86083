import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProvince, ontarioHealthUnits } from '../services/data-set-service.js';
import { allocate } from './province.js';

test('allocate splits a total in proportion and exactly', () => {
  assert.deepEqual(allocate([1, 1, 2], 4), [1, 1, 2]);
  assert.equal(allocate([5, 3, 2, 7, 11], 300).reduce((s, x) => s + x, 0), 300);
});

test('the demo province: 34 health units, ~300 clinics in real Ontario towns, every unit served', () => {
  const p = buildProvince('demo', 42);
  assert.equal(p.regions.length, 34);
  assert.deepEqual(p.regions.map((r) => r.code).sort(), ontarioHealthUnits().map((u) => u.code).sort());
  assert.ok(p.clinics.length >= 290 && p.clinics.length <= 320, `${p.clinics.length} clinics`);
  for (const r of p.regions) assert.ok(p.clinics.some((c) => c.regionCode === r.code), `no clinic in ${r.code}`);
  const kinds = new Set(p.clinics.map((c) => c.kind));
  assert.deepEqual([...kinds].sort(), ['hospital', 'mass_site', 'mobile', 'pharmacy', 'primary_care']);
  // Ontario's bounding box.
  for (const c of p.clinics) {
    assert.ok(c.latitude > 41.6 && c.latitude < 57 && c.longitude > -95.2 && c.longitude < -74.3, `${c.name} outside Ontario`);
    assert.match(c.postalCode, /^[KLMNP]\d[A-Z] \d[A-Z]\d$/);
  }
  // Toronto gets far more clinics than a small town: placement follows population.
  const inToronto = p.clinics.filter((c) => c.city === 'Toronto').length;
  const inOwenSound = p.clinics.filter((c) => c.city === 'Owen Sound').length;
  assert.ok(inToronto > 20 * Math.max(1, inOwenSound), `${inToronto} vs ${inOwenSound}`);
  // Mass sites run two shifts a day.
  const mass = p.clinics.find((c) => c.kind === 'mass_site')!;
  const monday = p.shifts.filter((s) => s.clinicCode === mass.code && s.isoWeekday === 1);
  assert.equal(monday.length, 2);
});

test('the same seed gives the same province; another seed another one', () => {
  const a = buildProvince('demo', 7);
  const b = buildProvince('demo', 7);
  const c = buildProvince('demo', 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.clinics.map((x) => [x.latitude, x.longitude]), c.clinics.map((x) => [x.latitude, x.longitude]));
});

test('the national data set spans Canada with ~3,000 sites', () => {
  const p = buildProvince('national', 1);
  assert.equal(p.clinics.length, 3000);
  assert.ok(p.regions.length >= 45);
  assert.ok(new Set(p.clinics.map((c) => c.timeZone)).size >= 5);
});
