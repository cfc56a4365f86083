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

test('on the demo\'s first day: 70+ book, 60 waits a week, a health-care worker needs an invitation in a soft-launch unit', () => {
  assert.equal(rolloutVerdict(rules, facts('1950-03-02', 'SMD'), 'primary', day0).entitlements.length > 0, true);
  const sixty = rolloutVerdict(rules, facts('1962-01-01', 'SMD'), 'primary', day0);
  assert.equal(sixty.entitlements.length, 0);
  assert.equal(sixty.reasons[0]!.opensOn, addDays(day0, 7));
  const nurse = rolloutVerdict(rules, facts('1990-01-01', 'KFL', ['health_care_worker']), 'primary', day0);
  assert.equal(nurse.entitlements.length, 0);
  assert.ok(nurse.reasons.some((r) => r.code === 'invitation_required'));
  const invited = rolloutVerdict(rules, { ...facts('1990-01-01', 'KFL', ['health_care_worker']), invitation: { cohortId: 'health-care-workers', regionCode: 'KFL', asDependent: false } }, 'primary', day0);
  assert.equal(invited.entitlements.length, 1);
  assert.equal(rolloutVerdict(rules, facts('2016-05-05', 'TOR'), 'primary', addDays(day0, 42)).entitlements.length, 1, 'children 5–11 from week 6');
  assert.equal(rolloutVerdict(rules, facts('1970-05-05', 'TOR'), 'booster', addDays(day0, 48)).entitlements.length, 0, 'boosters last');
});
