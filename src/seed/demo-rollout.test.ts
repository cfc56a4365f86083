import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { addDays } from '../domain/calendar.js';
import { rolloutProblems, rolloutVerdict, RolloutSchema } from '../domain/rollout.js';
import { ontarioHealthUnits } from '../services/data-set-service.js';
import { demoRollout } from './demo-rollout.js';

const day0 = '2026-11-22';
const units = ontarioHealthUnits();
const rules = demoRollout(day0, units);
const facts = (dateOfBirth: string, regionCode: string, groups: string[] = []) => ({ dateOfBirth, regionCode, groups, invitation: null });

test('the demo roll-out passes its own schema and checks', () => {
  assert.ok(Value.Check(RolloutSchema, rules));
  assert.deepEqual(rolloutProblems(rules, new Set(units.map((u) => u.code))), []);
  assert.equal(units.filter((u) => u.softLaunch).length, 6);
  assert.deepEqual(rules.phases[0]!.regions, units.filter((u) => u.softLaunch).map((u) => u.code));
});

test('on the demo\'s first day everyone 5 and over may book; under-5s and boosters come later; the soft launch needed an invitation', () => {
  for (const dob of ['1950-03-02', '1990-01-01', '2008-05-05', '2016-05-05']) {
    assert.ok(rolloutVerdict(rules, facts(dob, 'SMD'), 'primary', day0).entitlements.length > 0, dob);
  }
  const toddler = rolloutVerdict(rules, facts('2024-06-01', 'SMD'), 'primary', day0);
  assert.equal(toddler.entitlements.length, 0);
  assert.equal(toddler.reasons[0]!.opensOn, addDays(day0, 21));
  const boost = rolloutVerdict(rules, facts('1970-05-05', 'TOR'), 'booster', day0);
  assert.equal(boost.entitlements.length, 0, 'boosters last');
  assert.equal(boost.reasons[0]!.opensOn, addDays(day0, 28));
  const earlyDay = addDays(day0, -52); // the soft launch, before 80+ opened everywhere
  const elder = facts('1935-01-01', 'KFL');
  assert.ok(rolloutVerdict(rules, elder, 'primary', earlyDay).reasons.some((r) => r.code === 'invitation_required'));
  assert.equal(rolloutVerdict(rules, { ...elder, invitation: { cohortId: 'age-80', regionCode: 'KFL', asDependent: false } }, 'primary', earlyDay).entitlements.length, 1);
  assert.equal(rolloutVerdict(rules, facts('1990-01-01', 'TOR'), 'primary', addDays(day0, -20)).entitlements.length, 0, 'adults waited until two weeks before');
});
