import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { distanceKm, nearest, offsetKm } from './geo.js';

const toronto = { latitude: 43.70011, longitude: -79.4163 };
const ottawa = { latitude: 45.41117, longitude: -75.69812 };

test('Toronto to Ottawa is about 352 km', () => {
  const km = distanceKm(toronto, ottawa);
  assert.ok(km > 345 && km < 360, `got ${km}`);
});

test('offsetKm moves by the requested distance', () => {
  fc.assert(fc.property(
    fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true }),
    fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 360, noNaN: true }),
    (latitude, longitude, km, bearing) => {
      const to = offsetKm({ latitude, longitude }, km, bearing);
      return Math.abs(distanceKm({ latitude, longitude }, to) - km) < 1e-6 * Math.max(1, km) + 1e-6;
    }));
});

test('nearest picks the closest point', () => {
  const barrie = { name: 'Barrie', latitude: 44.40011, longitude: -79.66634 };
  const kingston = { name: 'Kingston', latitude: 44.22976, longitude: -76.48098 };
  assert.equal(nearest(toronto, [kingston, barrie]).name, 'Barrie');
  assert.equal(nearest(ottawa, [barrie, kingston]).name, 'Kingston');
});
