import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CODE_ALPHABET, CODE_RANDOM_SYMBOLS, newConfirmationCode, normaliseConfirmationCode } from './confirmation-code.js';

const strip = (code: string) => code.replace(/-/g, '');
const dashed = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;

/** A `random` that hands out bytes from a fixed sequence, cycling. */
function byteSource(bytes: number[]): (n: number) => Buffer {
  let i = 0;
  return (n) => Buffer.from(Array.from({ length: n }, () => bytes[i++ % bytes.length] ?? 0));
}

/** Codes from a seeded source, so the exhaustive tests below are reproducible. */
const codeArb = fc.uint8Array({ minLength: 64, maxLength: 64 })
  .map((bytes) => newConfirmationCode(byteSource([...bytes, 7])));

test('the alphabet has no ambiguous or repeated characters and a prime size', () => {
  for (const c of '0O1ILUZ') assert.ok(!CODE_ALPHABET.includes(c), c);
  assert.equal(new Set(CODE_ALPHABET).size, CODE_ALPHABET.length);
  assert.match(CODE_ALPHABET, /^[2-9A-Z]+$/);
  const n = CODE_ALPHABET.length;
  for (let d = 2; d * d <= n; d++) assert.notEqual(n % d, 0, `${n} is divisible by ${d}`);
});

test('codes carry at least 40 bits of randomness', () => {
  const bits = CODE_RANDOM_SYMBOLS * Math.log2(CODE_ALPHABET.length);
  assert.ok(bits >= 40, `only ${bits} bits`);
});

test('generated codes look like XXXX-XXXX-XX and normalise to themselves', () => {
  const pattern = new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{2}$`);
  for (let i = 0; i < 1000; i++) {
    const code = newConfirmationCode();
    assert.match(code, pattern);
    assert.equal(normaliseConfirmationCode(code), code);
  }
});

test('lower case, missing or extra dashes and spaces are accepted; Z reads as 2', () => {
  fc.assert(fc.property(codeArb, (code) => {
    assert.equal(normaliseConfirmationCode(code.toLowerCase()), code);
    assert.equal(normaliseConfirmationCode(strip(code)), code);
    assert.equal(normaliseConfirmationCode(` ${strip(code).split('').join(' ')} `), code);
    assert.equal(normaliseConfirmationCode(strip(code).replace(/(.{3})/g, '$1-')), code);
    assert.equal(normaliseConfirmationCode(code.replace(/2/g, 'z')), code);
  }));
});

test('malformed input is rejected', () => {
  const code = newConfirmationCode();
  for (const bad of ['', '----', strip(code).slice(0, 9), `${strip(code)}2`, code.replace(/.$/, 'O'), code.replace(/^./, '1'),
    code.replace(/^./, 'I'), code.replace(/^./, 'L'), code.replace(/^./, 'U'), code.replace(/^./, '0'), code.replace(/^./, '*')]) {
    assert.equal(normaliseConfirmationCode(bad), null, bad);
  }
});

test('every single-symbol substitution is detected', () => {
  fc.assert(fc.property(codeArb, (code) => {
    const s = strip(code);
    for (let i = 0; i < s.length; i++) {
      for (const c of CODE_ALPHABET) {
        if (c === s[i]) continue;
        const typo = dashed(s.slice(0, i) + c + s.slice(i + 1));
        assert.equal(normaliseConfirmationCode(typo), null, `${code} → ${typo}`);
      }
    }
  }), { numRuns: 50 });
});

test('every transposition of two different symbols is detected (adjacent or not)', () => {
  fc.assert(fc.property(codeArb, (code) => {
    const s = [...strip(code)];
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        if (s[i] === s[j]) continue;
        const t = [...s];
        [t[i], t[j]] = [s[j] as string, s[i] as string];
        const typo = dashed(t.join(''));
        assert.equal(normaliseConfirmationCode(typo), null, `${code} → ${typo}`);
      }
    }
  }), { numRuns: 200 });
});

test('rejection sampling: bytes that would bias the symbols are skipped', () => {
  const limit = 256 - (256 % CODE_ALPHABET.length);
  // Only rejectable bytes first, then zeros: the code must be all first-symbol.
  const code = newConfirmationCode(byteSource([...Array.from({ length: 256 - limit }, (_, k) => limit + k), ...Array(20).fill(0)]));
  assert.equal(strip(code).slice(0, CODE_RANDOM_SYMBOLS), (CODE_ALPHABET[0] ?? '').repeat(CODE_RANDOM_SYMBOLS));
  assert.throws(() => newConfirmationCode(() => Buffer.from([255])), /rejected bytes/);
});

test('rejection sampling: every byte value once gives every symbol equally often', () => {
  // 232 accepted byte values per pass over 0..255; 232 codes × 9 symbols use exactly 9 passes,
  // so each of the 29 symbols should appear 232 × 9 / 29 = 72 times.
  const random = byteSource(Array.from({ length: 256 }, (_, b) => b));
  const counts = new Map<string, number>();
  const codes = 256 - (256 % CODE_ALPHABET.length);
  for (let i = 0; i < codes; i++) {
    for (const c of strip(newConfirmationCode(random)).slice(0, CODE_RANDOM_SYMBOLS)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const expected = (codes * CODE_RANDOM_SYMBOLS) / CODE_ALPHABET.length;
  assert.deepEqual([...counts.values()], Array(CODE_ALPHABET.length).fill(expected));
});
