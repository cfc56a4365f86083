/**
 * Booking confirmation codes, e.g. 'K7QX-M3PA-R9': nine random symbols and one
 * check symbol, grouped for reading aloud or typing from paper.
 */
import { randomBytes } from 'node:crypto';

/**
 * Digits and capitals without 0 O 1 I L (read as each other), U (accidental
 * words) and Z (read as 2). 29 symbols: a prime, so the weighted check below
 * catches every single substitution and every transposition.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXY';
/** 9 × log2(29) ≈ 43.7 bits of randomness. */
export const CODE_RANDOM_SYMBOLS = 9;

const BASE = CODE_ALPHABET.length;
const LENGTH = CODE_RANDOM_SYMBOLS + 1;
/** Bytes at or above this are rejected so that every symbol is equally likely (256 is not a multiple of 29). */
const BYTE_LIMIT = 256 - (256 % BASE);

/**
 * Symbol values v0..v9 (v9 the check) satisfy Σ (10 - i)·vi ≡ 0 (mod 29).
 * The weights 10..1 are distinct and non-zero mod 29, so changing one symbol or
 * swapping any two different symbols changes the sum by a non-zero amount mod 29.
 */
function checkValue(values: number[]): number {
  const sum = values.reduce((acc, v, i) => acc + (LENGTH - i) * v, 0);
  return (BASE - (sum % BASE)) % BASE;
}

function format(symbols: string): string {
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/** A new random code. `random` is injectable for tests; it must return n random bytes. */
export function newConfirmationCode(random: (n: number) => Buffer = randomBytes): string {
  const values: number[] = [];
  for (let rounds = 0; values.length < CODE_RANDOM_SYMBOLS; rounds++) {
    if (rounds > 100) throw new Error('random source keeps returning rejected bytes');
    for (const b of random(CODE_RANDOM_SYMBOLS - values.length)) {
      if (b < BYTE_LIMIT && values.length < CODE_RANDOM_SYMBOLS) values.push(b % BASE);
    }
  }
  values.push(checkValue(values));
  return format(values.map((v) => CODE_ALPHABET[v]).join(''));
}

/**
 * The canonical dashed form of a typed code, or null if it is malformed or its
 * check symbol does not match. Case, spaces and dashes are ignored, and Z is
 * read as 2 (the alphabet leaves Z out for that reason). 0 O 1 I L U have no
 * single obvious meaning in this alphabet, so they make the code invalid.
 */
export function normaliseConfirmationCode(input: string): string | null {
  // People type the groups apart with spaces, dashes of any kind or dots.
  const symbols = input.toUpperCase().replace(/[\s.\-\u2010-\u2015]/g, '').replace(/Z/g, '2');
  if (symbols.length !== LENGTH) return null;
  const values = [...symbols].map((c) => CODE_ALPHABET.indexOf(c));
  if (values.some((v) => v < 0)) return null;
  if (checkValue(values.slice(0, CODE_RANDOM_SYMBOLS)) !== values[CODE_RANDOM_SYMBOLS]) return null;
  return format(symbols);
}
