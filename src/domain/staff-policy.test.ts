import assert from 'node:assert/strict';
import { test } from 'node:test';
import { may, worksAt } from './staff-policy.js';

const ottawa = { id: 1, regionId: 10 };
const toronto = { id: 2, regionId: 20 };

test('the clinics a staff member works with follow the same scope as the operations they may do there', () => {
  const nurse = { role: 'vaccinator' as const, regionIds: [], clinicIds: [1] };
  const manager = { role: 'region_manager' as const, regionIds: [10], clinicIds: [] };
  const agent = { role: 'agent' as const, regionIds: [], clinicIds: [] };
  assert.deepEqual([worksAt(nurse, ottawa), worksAt(nurse, toronto)], [true, false]);
  assert.deepEqual([worksAt(manager, ottawa), worksAt(manager, toronto)], [true, false]);
  assert.deepEqual([worksAt(agent, ottawa), worksAt(agent, toronto)], [true, true]);
  for (const [actor, c] of [[nurse, ottawa], [nurse, toronto], [manager, ottawa], [manager, toronto]] as const) {
    assert.equal(may(actor, 'roster.read', { clinicId: c.id, regionId: c.regionId }), worksAt(actor, c));
  }
});
