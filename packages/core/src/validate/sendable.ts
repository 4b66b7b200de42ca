import { MAX_BODY_BYTES } from '@port-gitops/port-schema';
import type { LoadedEntity, Locator, Problem } from '../model.js';
import { alteredNumber, encodePointer, place } from '../source/index.js';

/**
 * How deep an entity's values may nest. Port documents no limit; 100 levels is far more than any catalog
 * needs, and far less than what breaks a serializer or a validator on the way.
 */
const MAX_NESTING = 100;
const BULK_ENVELOPE_BYTES = Buffer.byteLength('{"entities":[]}');

/**
 * What JSON cannot carry, or Port cannot take, found before anything is sent: numbers JSON has no way to
 * write (`1e400` and YAML's `.inf` read as Infinity and would go out as `null`, clearing the value in
 * Port; `.nan`), numbers a double cannot carry as written (`9007199254740993`, `1e-400`, 20 significant
 * digits: they would change), NUL characters (Port stores text where NUL is refused), nesting deeper
 * than `MAX_NESTING`, and an entity too large for one request. Whatever check passes, sync can send.
 */
export function unsendable(entity: LoadedEntity, locator: Locator): Problem[] {
  const problems: Problem[] = [];
  const report = (path: Array<string | number>, rule: string, message: string, hint?: string) =>
    problems.push({
      file: entity.file,
      ...place(locator, entity.pointer + encodePointer(path)),
      code: 'schema',
      severity: 'error',
      rule: `port entity: ${rule}`,
      message,
      ...(hint ? { hint } : {}),
    });
  // One walk with one path, copied only for a problem; it never descends past MAX_NESTING, so a value
  // nested a million levels deep cannot overflow the stack.
  const path: Array<string | number> = [];
  let bound = 0; // never less than the bytes of the entity as JSON (see below)
  const visit = (value: unknown): void => {
    if (typeof value === 'number') {
      bound += 25;
      if (!Number.isFinite(value)) {
        report(
          [...path],
          'number',
          `is ${value}, which JSON cannot carry: it would be sent as null, which clears the value in Port`,
          'write a finite number, or quote it to keep it as text',
        );
      } else {
        const altered = alteredNumber(value, locator, () => entity.pointer + encodePointer(path));
        if (altered) {
          report(
            [...path],
            'number',
            `${altered.written ?? 'the number'} cannot be sent as written: it would become ${JSON.stringify(value)}`,
            Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER
              ? 'numbers past 9007199254740991 lose digits; quote it to keep it as text'
              : 'JSON carries about 16 significant digits, between about 1e-308 and 1e308; quote it to keep it as text',
          );
        }
      }
    } else if (typeof value === 'string') {
      bound += stringBound(value);
      if (value.includes('\u0000'))
        report([...path], 'nul-character', 'holds a NUL character (\\u0000), which Port cannot store');
    } else if (value !== null && typeof value === 'object') {
      if (path.length >= MAX_NESTING) {
        report([...path], 'nesting', `nests deeper than ${MAX_NESTING} levels`, 'flatten the value');
        return;
      }
      bound += 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          bound += 1;
          path.push(i);
          visit(value[i]);
          path.pop();
        }
      } else {
        for (const key of Object.keys(value)) {
          bound += stringBound(key) + 2;
          path.push(key);
          visit((value as Record<string, unknown>)[key]);
          path.pop();
        }
      }
    } else {
      bound += 5; // true, false, null
    }
  };
  visit(entity.data);
  // The exact size only when the bound says it might be too large: serializing every entity costs more
  // than the rest of this check.
  if (problems.length === 0 && bound + BULK_ENVELOPE_BYTES > MAX_BODY_BYTES) {
    const bytes = Buffer.byteLength(JSON.stringify(entity.data));
    if (bytes + BULK_ENVELOPE_BYTES > MAX_BODY_BYTES) {
      report(
        [],
        'entity-size',
        `is ${bytes} bytes as JSON; one request may carry at most ${MAX_BODY_BYTES - BULK_ENVELOPE_BYTES}`,
        'move large text out of the entity (a file:// property stays inside the same limit)',
      );
    }
  }
  return problems;
}

/**
 * Never less than the bytes of a string as JSON: with its quotes, each UTF-16 unit takes at most 6 bytes (a
 * `\\u` escape; a character past U+007F takes 2 or 3 bytes of UTF-8, a surrogate pair 4 for two units).
 */
function stringBound(text: string): number {
  return 6 * text.length + 2;
}
