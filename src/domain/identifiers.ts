/**
 * Personal identifiers people type when they book: the Ontario health card
 * number, the French social security number (NIR) and the Belgian national
 * register number. Each has check digits, so most typing mistakes are caught
 * here, with a message in English and French that says what to fix, before
 * anything is looked up or stored.
 */
import { isValidDay } from './age.js';

export type IdentifierScheme = 'ontario-health-card' | 'france-nir' | 'belgium-nrn';
export const IDENTIFIER_SCHEMES: readonly IdentifierScheme[] = ['ontario-health-card', 'france-nir', 'belgium-nrn'];

export interface Msg { en: string; fr: string }

export type IdentifierProblem = 'empty' | 'characters' | 'length' | 'format' | 'check_digit';

export type IdentifierCheck =
  | { ok: true; scheme: IdentifierScheme; value: string; version?: string }
  | { ok: false; scheme: IdentifierScheme; problem: IdentifierProblem; message: Msg };

export function isIdentifierScheme(x: string): x is IdentifierScheme {
  return (IDENTIFIER_SCHEMES as readonly string[]).includes(x);
}

/**
 * What people copy from cards and letters: groups split by spaces, dashes or
 * dots ('1234-567-890', '85.07.30-033.28'). None of the schemes uses these as
 * data, so they are dropped everywhere.
 */
const SEPARATORS = /[\s.\-‐‑‒–—]/gu;

function compact(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase();
}

/** A character as a message can show it: invisible ones by code point. */
function showChar(c: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c) ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character of the input, as typed, that is neither a separator nor
 * allowed once in upper case. Looked for before normalising so that the
 * message names what the person typed ('é', not 'É').
 */
function firstUnexpected(input: string, allowed: RegExp): string | undefined {
  return [...input].find((c) => c.replace(SEPARATORS, '') !== '' && !allowed.test(c.toUpperCase()));
}

function fail(scheme: IdentifierScheme, problem: IdentifierProblem, en: string, fr: string): IdentifierCheck {
  return { ok: false, scheme, problem, message: { en, fr } };
}

/** Remainder of a decimal digit string mod m, digit by digit, so no length can lose precision. */
function modDigits(digits: string, m: number): number {
  let r = 0;
  for (const c of digits) r = (r * 10 + Number(c)) % m;
  return r;
}

/** 97 − (n mod 97): always 1..97, written as two digits. Shared by NIR and Belgium. */
function mod97Key(digits: string): string {
  return String(97 - modDigits(digits, 97)).padStart(2, '0');
}

// ---------------------------------------------------------------- Ontario

/**
 * Luhn over the nine digits, doubling the 1st, 3rd, … 9th from the left (they
 * are the ones doubled when the check digit is appended as the 10th), then the
 * digit that brings the sum to a multiple of 10.
 */
function luhnCheckDigit(nine: string): string {
  let sum = 0;
  [...nine].forEach((c, i) => {
    const d = Number(c);
    sum += i % 2 === 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
  });
  return String((10 - (sum % 10)) % 10);
}

const ON = 'ontario-health-card' as const;

function checkOntario(input: string): IdentifierCheck {
  const s = compact(input);
  if (s === '') {
    return fail(ON, 'empty',
      'Please enter your Ontario health card number: 10 digits, optionally followed by the version code.',
      'Veuillez saisir votre numéro de carte Santé de l’Ontario : 10 chiffres, éventuellement suivis du code de version.');
  }
  const bad = firstUnexpected(input, /^[0-9A-Z]$/);
  if (bad !== undefined) {
    const c = showChar(bad);
    return fail(ON, 'characters',
      `The character "${c}" cannot appear in an Ontario health card number: type only its 10 digits and, if your card has one, the version code letters.`,
      `Le caractère « ${c} » ne peut pas figurer dans un numéro de carte Santé de l’Ontario : saisissez seulement les 10 chiffres et, si votre carte en a un, les lettres du code de version.`);
  }
  const m = /^([0-9]*)([A-Z]*)$/.exec(s);
  if (!m) {
    return fail(ON, 'format',
      'Letters can only come at the end, as the version code: an Ontario health card number is 10 digits, optionally followed by one or two letters.',
      'Les lettres ne peuvent figurer qu’à la fin, comme code de version : un numéro de carte Santé de l’Ontario comporte 10 chiffres, éventuellement suivis d’une ou deux lettres.');
  }
  const digits = m[1]!, version = m[2]!;
  if (digits.length !== 10) {
    return fail(ON, 'length',
      `An Ontario health card number has 10 digits (you typed ${digits.length}), optionally followed by a version code of one or two letters.`,
      `Un numéro de carte Santé de l’Ontario comporte 10 chiffres (vous en avez saisi ${digits.length}), éventuellement suivis d’un code de version d’une ou deux lettres.`);
  }
  if (version.length > 2) {
    return fail(ON, 'format',
      `The version code after the 10 digits has one or two letters (you typed ${version.length}).`,
      `Le code de version qui suit les 10 chiffres comporte une ou deux lettres (vous en avez saisi ${version.length}).`);
  }
  if (luhnCheckDigit(digits.slice(0, 9)) !== digits[9]) {
    return fail(ON, 'check_digit',
      'The check digit does not match: please check the 10 digits on your health card.',
      'Le chiffre de contrôle ne correspond pas : vérifiez les 10 chiffres de votre carte Santé.');
  }
  return version ? { ok: true, scheme: ON, value: digits, version } : { ok: true, scheme: ON, value: digits };
}

// ---------------------------------------------------------------- France

const FR = 'france-nir' as const;

/**
 * 1 and 2 are the sex digit; 3 and 4 (provisional) and 7 and 8 (people born
 * abroad awaiting a definitive number) also occur on real cards, and turning
 * those people away at booking would be worse than accepting them.
 */
const NIR_FIRST = /^[123478]$/;

/**
 * The 13 characters as the number the key is computed from: Corsica's "2A" and
 * "2B" count as 19 and 18 (the pre-1976 department 20, minus 1 or 2).
 */
function nirNumber(body: string): string {
  const dept = body.slice(5, 7);
  if (dept === '2A') return `${body.slice(0, 5)}19${body.slice(7)}`;
  if (dept === '2B') return `${body.slice(0, 5)}18${body.slice(7)}`;
  return body;
}

/** Null if the 13 characters are well formed, otherwise what is wrong. */
function nirBodyProblem(body: string): Msg | null {
  if (!NIR_FIRST.test(body[0] ?? '')) {
    const c = showChar(body[0] ?? '');
    return {
      en: `A social security number starts with 1 or 2 (or 3, 4, 7 or 8 for a temporary number), not "${c}".`,
      fr: `Un numéro de sécurité sociale commence par 1 ou 2 (ou 3, 4, 7 ou 8 pour un numéro provisoire), et non par « ${c} ».`,
    };
  }
  if (!/^[0-9]{13}$/.test(nirNumber(body))) {
    return {
      en: 'Only the Corsican department codes 2A and 2B, in positions 6 and 7, can contain a letter; every other character of a social security number is a digit.',
      fr: 'Seuls les codes des départements corses 2A et 2B, aux positions 6 et 7, peuvent contenir une lettre ; tous les autres caractères d’un numéro de sécurité sociale sont des chiffres.',
    };
  }
  return null;
}

function checkFrance(input: string): IdentifierCheck {
  const s = compact(input);
  if (s === '') {
    return fail(FR, 'empty',
      'Please enter your social security number: 15 characters, as shown on your carte Vitale.',
      'Veuillez saisir votre numéro de sécurité sociale : 15 caractères, tels qu’ils figurent sur votre carte Vitale.');
  }
  // A and B are the only letters a NIR can hold (2A, 2B); where they stand is checked below.
  const bad = firstUnexpected(input, /^[0-9AB]$/);
  if (bad !== undefined) {
    const c = showChar(bad);
    return fail(FR, 'characters',
      `The character "${c}" cannot appear in a social security number: type only its digits (and A or B for a Corsican department, 2A or 2B).`,
      `Le caractère « ${c} » ne peut pas figurer dans un numéro de sécurité sociale : saisissez seulement ses chiffres (et A ou B pour un département corse, 2A ou 2B).`);
  }
  if (s.length === 13) {
    // The key is printed apart on the card, so it is the part most often left out.
    return fail(FR, 'length',
      'The 2-digit key at the end is missing: a social security number has 15 characters, 13 followed by the key (you typed 13).',
      'Il manque la clé de 2 chiffres à la fin : un numéro de sécurité sociale comporte 15 caractères, 13 suivis de la clé (vous en avez saisi 13).');
  }
  if (s.length !== 15) {
    return fail(FR, 'length',
      `A social security number has 15 characters, 13 followed by a 2-digit key (you typed ${s.length}).`,
      `Un numéro de sécurité sociale comporte 15 caractères, 13 suivis d’une clé de 2 chiffres (vous en avez saisi ${s.length}).`);
  }
  const body = s.slice(0, 13), key = s.slice(13);
  const problem = nirBodyProblem(body) ?? (/^[0-9]{2}$/.test(key) ? null : {
    en: 'The key, the last 2 characters of a social security number, is made of digits only.',
    fr: 'La clé, les 2 derniers caractères d’un numéro de sécurité sociale, ne comporte que des chiffres.',
  });
  if (problem) return { ok: false, scheme: FR, problem: 'format', message: problem };
  if (mod97Key(nirNumber(body)) !== key) {
    return fail(FR, 'check_digit',
      'The key (the last 2 digits) does not match: please check the 15 characters of your social security number, as shown on your carte Vitale.',
      'La clé (les 2 derniers chiffres) ne correspond pas : vérifiez les 15 caractères de votre numéro de sécurité sociale, tels qu’ils figurent sur votre carte Vitale.');
  }
  return { ok: true, scheme: FR, value: s };
}

// ---------------------------------------------------------------- Belgium

const BE = 'belgium-nrn' as const;

/**
 * People born in 2000 or later get a key computed over 2 followed by the nine
 * digits, so that YYMMDD alone does not have to say the century. The number's
 * own date is not checked: it is 00 where the birth date was unknown and the
 * month is shifted by 20 or 40 in "bis" numbers.
 */
function belgiumKey(nine: string, bornFrom2000: boolean): string {
  return mod97Key(bornFrom2000 ? `2${nine}` : nine);
}

function bornFrom2000(dateOfBirth: string | undefined, what: string): boolean | undefined {
  if (dateOfBirth === undefined) return undefined;
  if (!isValidDay(dateOfBirth)) throw new RangeError(`${what}: dateOfBirth must be a real calendar date in YYYY-MM-DD form, got '${dateOfBirth}'`);
  return Number(dateOfBirth.slice(0, 4)) >= 2000;
}

function checkBelgium(input: string, dateOfBirth: string | undefined): IdentifierCheck {
  const from2000 = bornFrom2000(dateOfBirth, 'checkIdentifier');
  const s = compact(input);
  if (s === '') {
    return fail(BE, 'empty',
      'Please enter your national register number: 11 digits, in the form YY.MM.DD-XXX.CC.',
      'Veuillez saisir votre numéro de registre national : 11 chiffres, sous la forme AA.MM.JJ-XXX.CC.');
  }
  const bad = firstUnexpected(input, /^[0-9]$/);
  if (bad !== undefined) {
    const c = showChar(bad);
    return fail(BE, 'characters',
      `The character "${c}" cannot appear in a national register number: type only its 11 digits.`,
      `Le caractère « ${c} » ne peut pas figurer dans un numéro de registre national : saisissez seulement ses 11 chiffres.`);
  }
  if (s.length !== 11) {
    return fail(BE, 'length',
      `A Belgian national register number has 11 digits (you typed ${s.length}), in the form YY.MM.DD-XXX.CC.`,
      `Un numéro de registre national belge comporte 11 chiffres (vous en avez saisi ${s.length}), sous la forme AA.MM.JJ-XXX.CC.`);
  }
  const nine = s.slice(0, 9), key = s.slice(9);
  const matches1900 = belgiumKey(nine, false) === key;
  const matches2000 = belgiumKey(nine, true) === key;
  const ok = from2000 === undefined ? matches1900 || matches2000 : from2000 ? matches2000 : matches1900;
  if (ok) return { ok: true, scheme: BE, value: s };
  if (from2000 !== undefined && (matches1900 || matches2000)) {
    // Valid for the other century: either the number or the date of birth is wrong, and we cannot tell which.
    return from2000
      ? fail(BE, 'check_digit',
        'The check number (the last 2 digits) is the one of someone born before 2000, but the date of birth is in 2000 or later: please check the 11 digits and the date of birth.',
        'Le numéro de contrôle (les 2 derniers chiffres) est celui d’une personne née avant 2000, mais la date de naissance est en 2000 ou après : vérifiez les 11 chiffres et la date de naissance.')
      : fail(BE, 'check_digit',
        'The check number (the last 2 digits) is the one of someone born in 2000 or later, but the date of birth is before 2000: please check the 11 digits and the date of birth.',
        'Le numéro de contrôle (les 2 derniers chiffres) est celui d’une personne née en 2000 ou après, mais la date de naissance est antérieure à 2000 : vérifiez les 11 chiffres et la date de naissance.');
  }
  return fail(BE, 'check_digit',
    'The check number (the last 2 digits) does not match: please check the 11 digits of your national register number, as shown on your identity card.',
    'Le numéro de contrôle (les 2 derniers chiffres) ne correspond pas : vérifiez les 11 chiffres de votre numéro de registre national, tels qu’ils figurent sur votre carte d’identité.');
}

// ---------------------------------------------------------------- API

/**
 * Checks a typed identifier and returns its normalised form: no separators,
 * letters in upper case, and for Ontario the version code apart.
 *
 * `dateOfBirth` ('YYYY-MM-DD') is used by Belgium only, to choose the century
 * rule of the check number; without it either rule is accepted, which lets a
 * few more typing mistakes through (see the tests). A malformed dateOfBirth is
 * the caller's error and throws RangeError.
 */
export function checkIdentifier(scheme: IdentifierScheme, input: string, dateOfBirth?: string): IdentifierCheck {
  switch (scheme) {
    case 'ontario-health-card': return checkOntario(input);
    case 'france-nir': return checkFrance(input);
    case 'belgium-nrn': return checkBelgium(input, dateOfBirth);
  }
}

/**
 * For tests, demo data and the bench: a valid identifier built from `digits` (as many as the scheme needs before its
 * check digits, e.g. 9 for Ontario, 13 for NIR, 9 for Belgium), with the check digits computed.
 *
 * Returns the normalised form. The NIR body may hold 2A or 2B in positions 6
 * and 7. For Belgium the 2000-or-later rule is used only when `dateOfBirth` is
 * in 2000 or later. Throws RangeError for a body the scheme cannot complete.
 */
export function withCheckDigits(scheme: IdentifierScheme, body: string, dateOfBirth?: string): string {
  const b = compact(body);
  switch (scheme) {
    case 'ontario-health-card':
      if (!/^[0-9]{9}$/.test(b)) throw new RangeError(`an Ontario health card body is 9 digits, got '${body}'`);
      return b + luhnCheckDigit(b);
    case 'france-nir': {
      if (b.length !== 13 || nirBodyProblem(b)) throw new RangeError(`a NIR body is 13 characters (digits, 2A or 2B in positions 6-7), got '${body}'`);
      return b + mod97Key(nirNumber(b));
    }
    case 'belgium-nrn': {
      const from2000 = bornFrom2000(dateOfBirth, 'withCheckDigits') ?? false;
      if (!/^[0-9]{9}$/.test(b)) throw new RangeError(`a Belgian national register number body is 9 digits, got '${body}'`);
      return b + belgiumKey(b, from2000);
    }
  }
}
