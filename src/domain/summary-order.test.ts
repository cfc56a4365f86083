import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summaryNeedsReorder } from './summary-order.js';

test('the summary is rewritten only in the quiet hours, and only once its clinic order has decayed', () => {
  assert.equal(summaryNeedsReorder(0.2, 3), true);
  assert.equal(summaryNeedsReorder(0.89, 4), true);
  assert.equal(summaryNeedsReorder(-0.5, 4), true);
  assert.equal(summaryNeedsReorder(0.9, 3), false, 'still in order');
  assert.equal(summaryNeedsReorder(1, 4), false);
  assert.equal(summaryNeedsReorder(null, 3), false, 'never analysed: nothing to go on');
  for (const hour of [0, 2, 5, 8, 12, 17, 23]) assert.equal(summaryNeedsReorder(0.1, hour), false, `hour ${hour}`);
});
