import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checkIdentifier, IDENTIFIER_SCHEMES, isIdentifierScheme, withCheckDigits,
  type IdentifierCheck, type IdentifierScheme,
} from './identifiers.js';

// ------------------------------------------------ independent reference checks
// Written differently from the module on purpose (Luhn from the right, BigInt
// remainders, Corsica by subtraction), so a shared mistake is unlikely.

/** Standard Luhn over all 10 digits: from the right, double every second digit; valid when the sum ends in 0. */
function luhnValid(ten: string): boolean {
  let sum = 0;
  for (let k = 0; k < ten.length; k++) {
    const d = Number(ten[ten.length - 1 - k]);
    sum += k % 2 === 1 ? Math.floor((2 * d) / 10) + ((2 * d) % 10) : d;
  }
  return sum % 10 === 0;
}

/** NIR key: Corsica read as department 20, then 1 000 000 (2A) or 2 000 000 (2B) taken off. */
function nirKey(body13: string): string {
  const dept = body13.slice(5, 7);
  const asTwenty = dept === '2A' || dept === '2B' ? `${body13.slice(0, 5)}20${body13.slice(7)}` : body13;
  const n = BigInt(asTwenty) - (dept === '2A' ? 1_000_000n : dept === '2B' ? 2_000_000n : 0n);
  return (97n - (n % 97n)).toString().padStart(2, '0');
}

function beKey(nine: string, from2000: boolean): string {
  const n = (from2000 ? 2_000_000_000n : 0n) + BigInt(nine);
  return (97n - (n % 97n)).toString().padStart(2, '0');
}

function expectOk(r: IdentifierCheck): Extract<IdentifierCheck, { ok: true }> {
  if (!r.ok) assert.fail(`expected ok, got ${r.problem}: ${r.message.en}`);
  return r;
}

function expectFail(r: IdentifierCheck): Extract<IdentifierCheck, { ok: false }> {
  if (r.ok) assert.fail(`expected a failure, got ok with ${r.value}`);
  return r;
}

// ------------------------------------------------------------- known examples

/*
 * Ontario, Luhn doubling the 1st, 3rd, 5th, 7th and 9th digits (a doubled
 * digit over 9 has 9 taken off):
 *   123456789: doubled 1 3 5 7 9 -> 2 6 1 5 9 = 23; others 2+4+6+8 = 20; 43 -> check (10 - 3) % 10 = 7
 *   905123456: doubled 9 5 2 4 6 -> 9 1 4 8 3 = 25; others 0+1+3+5 = 9;  34 -> check (10 - 4) % 10 = 6
 * France, key = 97 - (n mod 97), Corsica 2A -> 19, 2B -> 18:
 *   1 84 12 75 123 456: 1841275123456 = 97 × 18982217767 + 57 -> key 40
 *   2 84 12 2A 123 456: 2841219123456 = 97 × 29290918798 + 50 -> key 47
 *   1 84 05 2B 045 012: 1840518045012 = 97 × 18974412835 + 17 -> key 80
 * Belgium, key = 97 - (n mod 97), with 2 000 000 000 added for births from 2000:
 *   85.07.30-033:  850730033 = 97 × 8770412  + 69 -> key 28
 *   01.02.03-123: 2010203123 = 97 × 20723743 + 52 -> key 45 (the 19xx rule would give 16)
 */
const VALID: { scheme: IdentifierScheme; input: string; value: string; version?: string; dob?: string }[] = [
  { scheme: 'ontario-health-card', input: '1234567897', value: '1234567897' },
  { scheme: 'ontario-health-card', input: '1234567897AB', value: '1234567897', version: 'AB' },
  { scheme: 'ontario-health-card', input: '1234-567-897 ab', value: '1234567897', version: 'AB' },
  { scheme: 'ontario-health-card', input: ' 9051 234 566 k ', value: '9051234566', version: 'K' },
  { scheme: 'ontario-health-card', input: '9051-234-566-Xy', value: '9051234566', version: 'XY' },
  { scheme: 'france-nir', input: '184127512345640', value: '184127512345640' },
  { scheme: 'france-nir', input: '1 84 12 75 123 456 40', value: '184127512345640' },
  { scheme: 'france-nir', input: '2 84 12 2a 123 456 47', value: '284122A12345647' },
  { scheme: 'france-nir', input: '284122A12345647', value: '284122A12345647' },
  { scheme: 'france-nir', input: '1-84-05-2b-045-012-80', value: '184052B04501280' },
  { scheme: 'belgium-nrn', input: '85.07.30-033.28', value: '85073003328' },
  { scheme: 'belgium-nrn', input: '85.07.30-033.28', value: '85073003328', dob: '1985-07-30' },
  { scheme: 'belgium-nrn', input: '85073003328', value: '85073003328', dob: '1999-12-31' },
  { scheme: 'belgium-nrn', input: '01.02.03-123.45', value: '01020312345' },
  { scheme: 'belgium-nrn', input: '01 02 03 123 45', value: '01020312345', dob: '2001-02-03' },
  { scheme: 'belgium-nrn', input: '01020312345', value: '01020312345', dob: '2000-01-01' },
];

test('known valid identifiers are accepted and normalised', () => {
  for (const { scheme, input, value, version, dob } of VALID) {
    const r = expectOk(checkIdentifier(scheme, input, dob));
    assert.equal(r.scheme, scheme);
    assert.equal(r.value, value, input);
    assert.equal(r.version, version, input);
    assert.equal('version' in r, version !== undefined, `${input}: version present only when typed`);
  }
});

test('the known examples agree with the independent reference computations', () => {
  assert.ok(luhnValid('1234567897'));
  assert.ok(luhnValid('9051234566'));
  assert.ok(!luhnValid('1234567898'));
  assert.equal(nirKey('1841275123456'), '40');
  assert.equal(nirKey('284122A123456'), '47');
  assert.equal(nirKey('184052B045012'), '80');
  assert.equal(beKey('850730033', false), '28');
  assert.equal(beKey('010203123', true), '45');
  assert.equal(beKey('010203123', false), '16');
  assert.equal(withCheckDigits('ontario-health-card', '123456789'), '1234567897');
  assert.equal(withCheckDigits('ontario-health-card', '905123456'), '9051234566');
  assert.equal(withCheckDigits('france-nir', '1841275123456'), '184127512345640');
  assert.equal(withCheckDigits('france-nir', '284122a123456'), '284122A12345647');
  assert.equal(withCheckDigits('france-nir', '184052B045012'), '184052B04501280');
  assert.equal(withCheckDigits('belgium-nrn', '850730033'), '85073003328');
  assert.equal(withCheckDigits('belgium-nrn', '850730033', '1985-07-30'), '85073003328');
  assert.equal(withCheckDigits('belgium-nrn', '010203123', '2001-02-03'), '01020312345');
});

test('Corsica: 2A and 2B are not interchangeable, and not read as department 20', () => {
  assert.equal(expectFail(checkIdentifier('france-nir', '284122B12345647')).problem, 'check_digit');
  assert.equal(expectFail(checkIdentifier('france-nir', '184052A04501280')).problem, 'check_digit');
  // The key the number would have if 2A were simply dropped for 20.
  const as20 = withCheckDigits('france-nir', '2841220123456').slice(13);
  assert.notEqual(as20, '47');
  assert.equal(expectFail(checkIdentifier('france-nir', `284122A123456${as20}`)).problem, 'check_digit');
});

// --------------------------------------------------------------- error cases

const INVALID: { scheme: IdentifierScheme; input: string; problem: string; en: RegExp; fr: RegExp; dob?: string }[] = [
  { scheme: 'ontario-health-card', input: '', problem: 'empty', en: /enter your Ontario health card number/, fr: /saisir votre numéro de carte Santé/ },
  { scheme: 'ontario-health-card', input: ' - ', problem: 'empty', en: /enter/, fr: /saisir/ },
  { scheme: 'ontario-health-card', input: '123456789', problem: 'length', en: /has 10 digits \(you typed 9\)/, fr: /comporte 10 chiffres \(vous en avez saisi 9\)/ },
  { scheme: 'ontario-health-card', input: '12345678977', problem: 'length', en: /\(you typed 11\)/, fr: /\(vous en avez saisi 11\)/ },
  { scheme: 'ontario-health-card', input: 'AB', problem: 'length', en: /\(you typed 0\)/, fr: /\(vous en avez saisi 0\)/ },
  { scheme: 'ontario-health-card', input: '1234567897ABC', problem: 'format', en: /one or two letters \(you typed 3\)/, fr: /une ou deux lettres \(vous en avez saisi 3\)/ },
  { scheme: 'ontario-health-card', input: 'AB1234567897', problem: 'format', en: /Letters can only come at the end/, fr: /qu’à la fin/ },
  { scheme: 'ontario-health-card', input: '12345O7897', problem: 'format', en: /Letters can only come at the end/, fr: /code de version/ },
  { scheme: 'ontario-health-card', input: '1234/567/897', problem: 'characters', en: /The character "\/" cannot appear/, fr: /Le caractère « \/ » ne peut pas/ },
  { scheme: 'ontario-health-card', input: '1234567897é', problem: 'characters', en: /"é"/, fr: /« é »/ },
  { scheme: 'ontario-health-card', input: '1234567897\u0000', problem: 'characters', en: /"U\+0000"/, fr: /« U\+0000 »/ },
  { scheme: 'france-nir', input: '  ', problem: 'empty', en: /enter your social security number/, fr: /saisir votre numéro de sécurité sociale/ },
  { scheme: 'france-nir', input: '1 84 12 75 123 456', problem: 'length', en: /key at the end is missing.*\(you typed 13\)/, fr: /Il manque la clé.*\(vous en avez saisi 13\)/ },
  { scheme: 'france-nir', input: '18412751234564', problem: 'length', en: /has 15 characters.*\(you typed 14\)/, fr: /comporte 15 caractères.*\(vous en avez saisi 14\)/ },
  { scheme: 'france-nir', input: '1841275123456400', problem: 'length', en: /\(you typed 16\)/, fr: /\(vous en avez saisi 16\)/ },
  { scheme: 'france-nir', input: '18412751234564X', problem: 'characters', en: /The character "X" cannot appear in a social security number/, fr: /Le caractère « X »/ },
  { scheme: 'france-nir', input: '1841275l2345640', problem: 'characters', en: /"l"/, fr: /« l »/ },
  { scheme: 'france-nir', input: '584127512345640', problem: 'format', en: /starts with 1 or 2.*not "5"/, fr: /commence par 1 ou 2.*non par « 5 »/ },
  { scheme: 'france-nir', input: '1841A7512345640', problem: 'format', en: /Corsican department codes 2A and 2B/, fr: /départements corses 2A et 2B/ },
  { scheme: 'france-nir', input: '284121A12345647', problem: 'format', en: /positions 6 and 7/, fr: /positions 6 et 7/ },
  { scheme: 'france-nir', input: '1841275123456A0', problem: 'format', en: /key.*digits only/, fr: /clé.*que des chiffres/ },
  { scheme: 'france-nir', input: '184127512345641', problem: 'check_digit', en: /key \(the last 2 digits\) does not match.*15 characters/, fr: /La clé \(les 2 derniers chiffres\) ne correspond pas : vérifiez les 15 caractères/ },
  { scheme: 'belgium-nrn', input: '', problem: 'empty', en: /national register number/, fr: /numéro de registre national/ },
  { scheme: 'belgium-nrn', input: '85.07.30-033.2', problem: 'length', en: /has 11 digits \(you typed 10\)/, fr: /comporte 11 chiffres \(vous en avez saisi 10\)/ },
  { scheme: 'belgium-nrn', input: '85O73003328', problem: 'characters', en: /The character "O" cannot appear in a national register number/, fr: /Le caractère « O »/ },
  { scheme: 'belgium-nrn', input: '85.07.30/033.28', problem: 'characters', en: /"\/"/, fr: /« \/ »/ },
  { scheme: 'belgium-nrn', input: '85.07.30-033.29', problem: 'check_digit', en: /does not match: please check the 11 digits/, fr: /ne correspond pas : vérifiez les 11 chiffres/ },
  { scheme: 'belgium-nrn', input: '85073003328', dob: '2085-07-30', problem: 'check_digit', en: /born before 2000, but the date of birth is in 2000 or later/, fr: /née avant 2000/ },
  { scheme: 'belgium-nrn', input: '01020312345', dob: '1901-02-03', problem: 'check_digit', en: /born in 2000 or later, but the date of birth is before 2000/, fr: /née en 2000 ou après/ },
  { scheme: 'belgium-nrn', input: '01020312316', dob: '2001-02-03', problem: 'check_digit', en: /born before 2000/, fr: /née avant 2000/ },
];

test('invalid identifiers name the problem in English and French', () => {
  for (const { scheme, input, problem, en, fr, dob } of INVALID) {
    const r = expectFail(checkIdentifier(scheme, input, dob));
    assert.equal(r.scheme, scheme);
    assert.equal(r.problem, problem, JSON.stringify(input));
    assert.match(r.message.en, en, JSON.stringify(input));
    assert.match(r.message.fr, fr, JSON.stringify(input));
  }
});

test('the Ontario check digit message is the agreed wording', () => {
  assert.deepEqual(checkIdentifier('ontario-health-card', '1234567898'), {
    ok: false,
    scheme: 'ontario-health-card',
    problem: 'check_digit',
    message: {
      en: 'The check digit does not match: please check the 10 digits on your health card.',
      fr: 'Le chiffre de contrôle ne correspond pas : vérifiez les 10 chiffres de votre carte Santé.',
    },
  });
});

test('every message in both languages ends with a full stop and French uses « » around characters', () => {
  for (const { scheme, input, dob } of INVALID) {
    const r = expectFail(checkIdentifier(scheme, input, dob));
    assert.match(r.message.en, /\.$/);
    assert.match(r.message.fr, /\.$/);
    assert.doesNotMatch(r.message.fr, /"/, 'French quotes are « »');
  }
});

test('a malformed date of birth is a caller error', () => {
  assert.throws(() => checkIdentifier('belgium-nrn', '85073003328', '1985-7-30'), RangeError);
  assert.throws(() => checkIdentifier('belgium-nrn', '85073003328', '1985-02-30'), RangeError);
  assert.throws(() => withCheckDigits('belgium-nrn', '850730033', 'yesterday'), RangeError);
});

test('withCheckDigits refuses bodies it cannot complete', () => {
  assert.throws(() => withCheckDigits('ontario-health-card', '12345678'), RangeError);
  assert.throws(() => withCheckDigits('ontario-health-card', '12345678A'), RangeError);
  assert.throws(() => withCheckDigits('france-nir', '184127512345'), RangeError);
  assert.throws(() => withCheckDigits('france-nir', '584127512345 6'), RangeError);
  assert.throws(() => withCheckDigits('france-nir', '18412A7512345'), RangeError);
  assert.throws(() => withCheckDigits('belgium-nrn', '8507300331'), RangeError);
});

test('isIdentifierScheme knows exactly the three schemes', () => {
  assert.deepEqual([...IDENTIFIER_SCHEMES], ['ontario-health-card', 'france-nir', 'belgium-nrn']);
  for (const s of IDENTIFIER_SCHEMES) assert.equal(isIdentifierScheme(s), true);
  for (const s of ['', 'ontario', 'france-NIR', 'belgium-nrn ', 'toString']) assert.equal(isIdentifierScheme(s), false, s);
});

// ------------------------------------------------------------------ properties

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

const ontarioArb = digits(9).map((b) => withCheckDigits('ontario-health-card', b));
/** Half of them Corsican, so the letters and their substitution are exercised. */
const nirArb = fc.tuple(fc.constantFrom('1', '2', '3', '4', '7', '8'), digits(4), fc.oneof(digits(2), fc.constantFrom('2A', '2B')), digits(6))
  .map((parts) => withCheckDigits('france-nir', parts.join('')));
/** A Belgian number with the date of birth whose century decides its check rule. */
const belgiumArb = fc.tuple(digits(9), fc.boolean()).map(([body, from2000]) => {
  const dob = `${from2000 ? '20' : '19'}${body.slice(0, 2)}-06-15`;
  return { value: withCheckDigits('belgium-nrn', body, dob), dob, from2000 };
});

/** How people type: separators between characters and any mix of case. */
const messArb = fc.array(fc.tuple(fc.constantFrom('', '', '', ' ', '-', '.', '  ', ' - '), fc.boolean()), { minLength: 16, maxLength: 16 });
function messUp(s: string, mess: [string, boolean][]): string {
  return [...s].map((c, i) => {
    const [sep, lower] = mess[i % mess.length]!;
    return sep + (lower ? c.toLowerCase() : c);
  }).join('');
}

/** Every number with one digit replaced by a different digit. Letters (2A, 2B) are left alone. */
function substitutions(s: string): { index: number; delta: number; changed: string }[] {
  const out: { index: number; delta: number; changed: string }[] = [];
  [...s].forEach((c, index) => {
    if (!/[0-9]/.test(c)) return;
    for (let d = 0; d <= 9; d++) {
      if (d !== Number(c)) out.push({ index, delta: d - Number(c), changed: s.slice(0, index) + d + s.slice(index + 1) });
    }
  });
  return out;
}

/** Every swap of two adjacent, different digits, the check digits included. */
function transpositions(s: string): { index: number; a: string; b: string; changed: string }[] {
  const out: { index: number; a: string; b: string; changed: string }[] = [];
  for (let index = 0; index + 1 < s.length; index++) {
    const a = s[index]!, b = s[index + 1]!;
    if (/[0-9]/.test(a) && /[0-9]/.test(b) && a !== b) out.push({ index, a, b, changed: s.slice(0, index) + b + a + s.slice(index + 2) });
  }
  return out;
}

test('property: generated valid numbers pass, normalise to themselves, and agree with the reference computations', () => {
  fc.assert(fc.property(ontarioArb, (v) => {
    assert.ok(luhnValid(v));
    assert.deepEqual(checkIdentifier('ontario-health-card', v), { ok: true, scheme: 'ontario-health-card', value: v });
  }));
  fc.assert(fc.property(nirArb, (v) => {
    assert.equal(v.slice(13), nirKey(v.slice(0, 13)));
    assert.deepEqual(checkIdentifier('france-nir', v), { ok: true, scheme: 'france-nir', value: v });
  }));
  fc.assert(fc.property(belgiumArb, ({ value, dob, from2000 }) => {
    assert.equal(value.slice(9), beKey(value.slice(0, 9), from2000));
    assert.deepEqual(checkIdentifier('belgium-nrn', value, dob), { ok: true, scheme: 'belgium-nrn', value });
    assert.deepEqual(checkIdentifier('belgium-nrn', value), { ok: true, scheme: 'belgium-nrn', value });
  }));
});

test('property: separators and lower case do not change the normalised value', () => {
  fc.assert(fc.property(ontarioArb, fc.constantFrom('', 'A', 'zq', 'Bc'), messArb, (v, version, mess) => {
    const r = expectOk(checkIdentifier('ontario-health-card', messUp(v + version, mess)));
    assert.equal(r.value, v);
    assert.equal(r.version, version ? version.toUpperCase() : undefined);
  }));
  fc.assert(fc.property(nirArb, messArb, (v, mess) => {
    assert.equal(expectOk(checkIdentifier('france-nir', messUp(v, mess))).value, v);
  }));
  fc.assert(fc.property(belgiumArb, messArb, ({ value, dob }, mess) => {
    assert.equal(expectOk(checkIdentifier('belgium-nrn', messUp(value, mess), dob)).value, value);
  }));
});

test('property: changing any one digit, check digits included, is always caught', () => {
  fc.assert(fc.property(ontarioArb, (v) => {
    for (const { changed } of substitutions(v)) {
      assert.equal(expectFail(checkIdentifier('ontario-health-card', changed)).problem, 'check_digit', changed);
    }
  }));
  fc.assert(fc.property(nirArb, (v) => {
    for (const { changed } of substitutions(v)) {
      // A first digit outside 1 2 3 4 7 8, or 2A turned into 3A, is caught as a format error before the key.
      assert.ok(['check_digit', 'format'].includes(expectFail(checkIdentifier('france-nir', changed)).problem), changed);
    }
  }));
  fc.assert(fc.property(belgiumArb, ({ value, dob }) => {
    for (const { changed } of substitutions(value)) {
      assert.equal(expectFail(checkIdentifier('belgium-nrn', changed, dob)).problem, 'check_digit', changed);
    }
  }));
});

test('property: swapping two adjacent different digits is caught, except 09 <-> 90 for Luhn', () => {
  // Luhn: one of the two digits is doubled; 0 doubled is 0 and 9 doubled is 18 -> 9, so 0,9 and 9,0 sum alike.
  fc.assert(fc.property(ontarioArb, (v) => {
    for (const { a, b, changed } of transpositions(v)) {
      const undetectable = a + b === '09' || a + b === '90';
      assert.equal(checkIdentifier('ontario-health-card', changed).ok, undetectable, `${v} -> ${changed}`);
    }
  }));
  // Mod 97: a swap changes the number by ±9·(a − b)·10^k, never a multiple of the prime 97; a swap inside
  // the key changes the key by 9·(a − b), and a swap across body and key changes body + key by 9·(a − b).
  fc.assert(fc.property(nirArb, (v) => {
    for (const { changed } of transpositions(v)) {
      assert.equal(checkIdentifier('france-nir', changed).ok, false, `${v} -> ${changed}`);
    }
  }));
  fc.assert(fc.property(belgiumArb, ({ value, dob }) => {
    for (const { changed } of transpositions(value)) {
      assert.equal(checkIdentifier('belgium-nrn', changed, dob).ok, false, `${value} -> ${changed}`);
    }
  }));
});

test('Ontario: a 0/9 swap is really accepted, which is why the property above excludes it', () => {
  const v = withCheckDigits('ontario-health-card', '109456789');
  const swapped = `1${v[2]}${v[1]}${v.slice(3)}`;
  assert.equal(swapped.slice(0, 3), '190');
  assert.equal(expectOk(checkIdentifier('ontario-health-card', swapped)).value, swapped);
});

/*
 * Belgium without a date of birth accepts either century rule, and the rules
 * differ by 2·10^9 ≡ 68 (mod 97). A mistake that moves the nine digits by −68
 * (mod 97) turns a 19xx number into a valid 20xx one, and +68 the other way.
 * Among single-digit changes and adjacent swaps exactly these do, all in the date:
 *   2nd digit (year) lowered by 6:         −6·10^7        ≡ −68
 *   3rd/4th digits (month) a,b with b − a = −2: −2·9·10^5 ≡ −68
 *   5th/6th digits (day)   a,b with b − a = −6: −6·9·10^3 ≡ −68
 * (and the opposite signs for 20xx numbers). With the date of birth, none gets through.
 */
test('the congruences behind the Belgian exceptions', () => {
  const m = (n: bigint) => ((n % 97n) + 97n) % 97n;
  assert.equal(m(2_000_000_000n), 68n);
  assert.equal(m(-6n * 10n ** 7n), m(-68n));
  assert.equal(m(-2n * 9n * 10n ** 5n), m(-68n));
  assert.equal(m(-6n * 9n * 10n ** 3n), m(-68n));
});

function slipsThroughWithoutDob(kind: 'substitution' | 'transposition', index: number, delta: number, from2000: boolean): boolean {
  const sign = from2000 ? 1 : -1;
  if (kind === 'substitution') return index === 1 && delta === 6 * sign;
  return (index === 2 && delta === 2 * sign) || (index === 4 && delta === 6 * sign);
}

test('property: Belgium without a date of birth catches every one-digit change and adjacent swap but the date ones above', () => {
  fc.assert(fc.property(belgiumArb, ({ value, from2000 }) => {
    for (const { index, delta, changed } of substitutions(value)) {
      const r = checkIdentifier('belgium-nrn', changed);
      assert.equal(r.ok, slipsThroughWithoutDob('substitution', index, delta, from2000), `${value} -> ${changed}`);
      if (r.ok) assert.equal(changed.slice(9), beKey(changed.slice(0, 9), !from2000), 'accepted under the other century');
    }
    for (const { index, a, b, changed } of transpositions(value)) {
      const r = checkIdentifier('belgium-nrn', changed);
      assert.equal(r.ok, slipsThroughWithoutDob('transposition', index, Number(b) - Number(a), from2000), `${value} -> ${changed}`);
    }
  }), { numRuns: 300 });
});

test('Belgium: a date of birth stops a year typed 6 too low from passing as the other century', () => {
  const born1997 = withCheckDigits('belgium-nrn', '970101123', '1997-01-01');
  const typo = `91${born1997.slice(2)}`;
  assert.equal(checkIdentifier('belgium-nrn', typo).ok, true, 'without a date of birth it reads as born 2091');
  assert.equal(expectFail(checkIdentifier('belgium-nrn', typo, '1997-01-01')).problem, 'check_digit');
});
