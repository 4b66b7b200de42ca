/**
 * Patterns that come from the repository (blueprint properties, the shared schema) are written by whoever
 * opens a pull request, and so are the values checked against them: a backtracking engine lets
 * `^(a+)+$` and a 41-character value hold a check for minutes. These patterns run on RE2 (re2js), whose
 * time is linear in the value. RE2 has no lookaround and no backreferences: a pattern that uses them is
 * not checked offline, and the caller says so (`unsupported`). re2js is loaded only when some pattern
 * needs it, so that a check with none does not pay its loading at start-up.
 */
import type { Ajv } from 'ajv';
import { BLUEPRINT_IDENTIFIER_PATTERN, ENTITY_IDENTIFIER_PATTERN, PROPERTY_IDENTIFIER_PATTERN } from './identifiers.js';

/**
 * The patterns port-gitops itself writes into the schemas it compiles (identifiers.ts): they are written
 * to run in linear time on a backtracking engine too, and run on JavaScript's own, as they do when no
 * repository pattern loads RE2; compiling their `\p{L}` classes into RE2 programs would cost each run
 * more than every value they check.
 */
const OWN_PATTERNS: ReadonlySet<string> = new Set([
  ENTITY_IDENTIFIER_PATTERN,
  BLUEPRINT_IDENTIFIER_PATTERN,
  PROPERTY_IDENTIFIER_PATTERN,
]);

type AjvRegExpEngine = NonNullable<NonNullable<ConstructorParameters<typeof Ajv>[0]>['code']>['regExp'];

export interface LinearRegExp {
  /**
   * For ajv's `code.regExp`: compiles with RE2 (port-gitops' own patterns with JavaScript's engine); a
   * pattern RE2 cannot run matches everything.
   */
  engine: NonNullable<AjvRegExpEngine>;
  /** Why RE2 cannot run `pattern`, or undefined when it can. */
  unsupported(pattern: string): string | undefined;
}

export async function loadLinearRegExp(): Promise<LinearRegExp> {
  const { RE2JS } = await import('re2js');
  const compiled = new Map<string, { test(value: string): boolean; toString(): string } | string>();
  const compile = (pattern: string) => {
    let entry = compiled.get(pattern);
    if (entry === undefined) {
      try {
        const re = RE2JS.compile(pattern);
        // ajv keeps compiled patterns by their text (toString): each must give its own.
        entry = { test: (value: string) => re.matcher(value).find(), toString: () => `re2:${pattern}` };
      } catch (error) {
        entry = (error as Error).message.replace(/^error parsing regexp: /, '');
      }
      compiled.set(pattern, entry);
    }
    return entry;
  };
  const engine = Object.assign(
    (pattern: string, flags?: string) => {
      if (OWN_PATTERNS.has(pattern)) return new RegExp(pattern, flags);
      const entry = compile(pattern);
      return typeof entry === 'string' ? { test: () => true, toString: () => `unchecked:${pattern}` } : entry;
    },
    { code: 'RE2JS' },
  );
  return {
    engine: engine as unknown as NonNullable<AjvRegExpEngine>,
    unsupported: (pattern) => {
      const entry = compile(pattern);
      return typeof entry === 'string' ? entry : undefined;
    },
  };
}

/**
 * Whether a schema (or blueprint) holds a regular expression anywhere, a `pattern` or the keys of
 * `patternProperties` (ajv runs both on the same engine): only then is RE2 worth loading.
 */
export function hasPattern(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      const { pattern, patternProperties } = node as { pattern?: unknown; patternProperties?: unknown };
      if (typeof pattern === 'string' || (patternProperties !== null && typeof patternProperties === 'object'))
        return true;
      stack.push(...Object.values(node));
    }
  }
  return false;
}
