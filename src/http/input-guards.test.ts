import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonDepth, unstorableTextAt } from './input-guards.js';

test('jsonDepth counts nesting outside strings, escaped quotes included', () => {
  assert.equal(jsonDepth('1'), 0);
  assert.equal(jsonDepth('{"a":[1,{"b":[]}]}'), 4);
  assert.equal(jsonDepth('{"a":"[[[[{{{{"}'), 1);
  assert.equal(jsonDepth('{"a":"say \\"[[[\\" twice","b":[[]]}'), 3);
  assert.equal(jsonDepth('['.repeat(5000) + ']'.repeat(5000)), 5000);
});

test('unstorableTextAt names the first NUL or lone surrogate, in values and keys, however deep', () => {
  assert.equal(unstorableTextAt({ persons: [{ givenName: 'Ada' }, { givenName: 'B\u0000b' }] }), 'persons.1.givenName');
  assert.equal(unstorableTextAt({ note: 'half \ud800 pair' }), 'note');
  assert.equal(unstorableTextAt({ note: 'a whole pair 😀 is fine' }), undefined);
  assert.equal(unstorableTextAt({ ['k\u0000']: 1 }), 'k\u0000');
  let deep: unknown = 'x\u0000';
  for (let i = 0; i < 20_000; i++) deep = [deep];
  assert.equal(unstorableTextAt(deep), Array(20_000).fill('0').join('.'));
  assert.equal(unstorableTextAt(null), undefined);
});
