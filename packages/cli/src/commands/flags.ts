import { FatalError } from '@port-gitops/core/outcome';

/** A flag that takes a whole number within bounds; anything else is a usage error naming the flag. */
export function wholeNumber(flag: string, min: number, max = Number.POSITIVE_INFINITY) {
  return (value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw repeated(flag);
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      const range = max === Number.POSITIVE_INFINITY ? `${min} or more` : `from ${min} to ${max}`;
      const given = typeof value === 'number' && Number.isNaN(value) ? 'something that is not a number' : `"${value}"`;
      throw new FatalError('usage', `--${flag} takes a whole number ${range}, not ${given}`);
    }
    return number;
  };
}

/** Options that take several values (positionals); any other given twice is a usage error. */
const MANY = new Set(['_', '$0', 'files', 'ids', 'recreate-property', 'delete-entities', 'decide']);

/**
 * yargs turns a flag given twice into a list, which a command reading one value would misread (or crash
 * on). Said as a usage error instead, before any command runs.
 */
export function rejectRepeatedFlags(argv: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(argv)) {
    if (Array.isArray(value) && !MANY.has(key) && !/[A-Z]/.test(key)) throw repeated(key);
  }
}

function repeated(flag: string): FatalError {
  return new FatalError('usage', `--${flag} is given more than once`, 'give each flag once');
}
