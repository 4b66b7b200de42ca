import type { Locator } from '../model.js';

/**
 * Numbers as written. A file's number is read into a double and sent as JSON writes that double; the two
 * are the same number only when the double carries the written digits. A number of 15 significant digits
 * or fewer, with an exponent of two digits at most, always does; anything longer may not
 * (`0.12345678901234567890` is sent as 0.12345678901234568, `1e-400` as 0, `9007199254740993` as
 * ...992), and is compared with its text.
 */

/** A text that may hold such a number: 16 digits in a row (a point among them), or a three-digit exponent. */
const LONG_NUMBER = /\d[\d.]{15}|[eE][-+]?\d{3}/;

/** Whether some number in `text` may not be carried as written, so that each must be compared with its text. */
export function mayAlterNumbers(text: string): boolean {
  return LONG_NUMBER.test(text);
}

/**
 * Whether a finite number a file holds at `pointer` (asked only when needed) would go out as another
 * number, judged on its text where the file may hold such numbers (`mayAlterNumbers`), and always for an
 * integer past 2^53. Without its text (a value another file holds, judged where that file is read),
 * only such an integer is known to change. Returns the text (if known) of a number that would change.
 */
export function alteredNumber(
  value: number,
  locator: Locator,
  pointer: () => string,
): { written: string | undefined } | undefined {
  const unsafeInteger = Number.isInteger(value) && !Number.isSafeInteger(value);
  if (!locator.mayAlterNumbers && !unsafeInteger) return undefined;
  // Asked only here: placing a number's text may parse the file again.
  const written = locator.raw?.(pointer());
  const altered = written === undefined ? unsafeInteger : !numberAsWritten(written, value);
  return altered ? { written } : undefined;
}

/**
 * Whether `value`, read from the token `written`, goes out as the same number: compared exactly, on the
 * decimal digits (`1e300` is sent as `1e+300`, the same number). YAML's hexadecimal and octal integers
 * (`0x1F`, `0o17`) are compared as integers.
 */
export function numberAsWritten(written: string, value: number): boolean {
  const token = written.trim();
  const radix = /^([-+]?)0([xo])([0-9a-fA-F]+)$/.exec(token);
  if (radix) {
    if (!Number.isInteger(value)) return false;
    const [, sign, base, digits] = radix;
    const exact = BigInt(`0${base}${digits}`) * (sign === '-' ? -1n : 1n);
    return exact === BigInt(value);
  }
  const a = decimal(token);
  const b = decimal(JSON.stringify(value));
  return a !== undefined && b !== undefined && a.sign === b.sign && a.digits === b.digits && a.exponent === b.exponent;
}

/** A decimal number as sign, significant digits and the power of ten of the last one. */
function decimal(text: string): { sign: string; digits: string; exponent: number } | undefined {
  const match = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!match || (match[2] === '' && !match[3])) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  let digits = (whole + fraction).replace(/^0+/, '');
  let power = Number(exponent) - fraction.length;
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  power += trailing;
  return digits === ''
    ? { sign: '', digits: '0', exponent: 0 }
    : { sign: sign === '-' ? '-' : '', digits, exponent: power };
}
