/**
 * jq as Port's Ocean integrations run it today (jq 1.8.2, through jq-wasm: the real jq, compiled to
 * WebAssembly; no native build, no network), loaded only when a mapping is configured. Filters are run in
 * batches, one jq run for many inputs and fields, with Ocean's rules per field: the first output is the
 * value, no output is none, an error is that error. No filter can read the environment (`env`, `$ENV`):
 * port-gitops runs in CI beside secrets.
 */
import type { Jq } from 'jq-wasm';

export type FieldResult = { value: unknown } | { none: true } | { error: string };

export interface JqEngine {
  /** jq's own message when a filter does not compile; undefined when it does. */
  compileError(filter: string): string | undefined;
  /** The first of these filters that does not compile, and why; undefined when all do. */
  firstCompileError(filters: string[]): { index: number; error: string } | undefined;
  /** `filters` (by name) on each input; one result map per input, in order. */
  evaluate(inputs: unknown[], filters: ReadonlyMap<string, string>): Array<Map<string, FieldResult>>;
}

/**
 * Inputs per jq run. Each run starts jq anew (its builtins compiled again), so runs are few; a run's input
 * and output live in WebAssembly memory, capped at 256 MB, so a run is bounded.
 */
const BATCH = 5000;
const NO_ENVIRONMENT = 'def env: {}; {} as $ENV | ';
const ERROR = 'error';

let loading: Promise<Jq> | undefined;

export async function loadJqEngine(): Promise<JqEngine> {
  loading ??= import('jq-wasm/inline').then(({ loadJq }) => loadJq());
  const jq = await loading;
  const compileError = (filter: string) => {
    // Compiled, never run: the condition is false before the filter is reached.
    const result = jq.raw(null, `${NO_ENVIRONMENT}if false then (${filter}) else empty end`, ['-c']);
    if (result.exitCode === 0) return undefined;
    // jq places the fault in the program it was given: the message, without that place.
    return (
      result.stderr
        .split('\n')[0]!
        .replace(/^jq: error: /, '')
        .replace(/ at <top-level>.*$/, '') || 'does not compile'
    );
  };
  return {
    firstCompileError(filters) {
      // One jq run for all, when all compile (the usual case); one each to find the first that does not.
      if (compileError(filters.map((filter) => `(${filter})`).join(', ')) === undefined) return undefined;
      for (const [index, filter] of filters.entries()) {
        const error = compileError(filter);
        if (error) return { index, error };
      }
      return undefined;
    },
    compileError,
    evaluate(inputs, filters) {
      // Literals and plain paths are answered here, as jq answers them (jq.test.ts holds the two to the
      // same answers); the rest go to jq, all of them in one run per batch.
      const known = new Map<string, (input: unknown) => FieldResult>();
      for (const [name, filter] of filters) {
        const literal = literalOf(filter);
        const path = literal ? undefined : plainPathOf(filter);
        if (literal) known.set(name, () => literal);
        else if (path) known.set(name, (input) => walkPath(input, path));
      }
      const names = [...filters.keys()].filter((name) => !known.has(name));
      if (names.length === 0) {
        return inputs.map((input) => new Map([...known].map(([name, answer]) => [name, answer(input)])));
      }
      // Each field gives `[]` (no output), `[value]` (its first output), or `{"error": message}`. `first(f)`
      // stops at f's first output as `limit(1; f)` does, and costs less: jq 1.8 defines it by label and
      // break, `limit` by a foreach (a quarter of a computed mapping's time went to it).
      const fields = names
        .map((name) => `(try [first(${filters.get(name)})] catch {${JSON.stringify(ERROR)}: .})`)
        .join(', ');
      const program = `${NO_ENVIRONMENT}[.[] | [${fields}]]`;
      const results: Array<Map<string, FieldResult>> = [];
      for (let start = 0; start < inputs.length; start += BATCH) {
        const [rows] = jq.json<unknown[][]>(inputs.slice(start, start + BATCH), program, ['-c']);
        for (const row of rows ?? []) {
          results.push(
            new Map<string, FieldResult>(
              names.map((name, i): [string, FieldResult] => {
                const cell = row[i];
                if (Array.isArray(cell)) return [name, cell.length === 0 ? { none: true } : { value: cell[0] }];
                const error = (cell as Record<string, unknown>)[ERROR];
                return [name, { error: typeof error === 'string' ? error : JSON.stringify(error) }];
              }),
            ),
          );
        }
      }
      if (known.size > 0) {
        results.forEach((row, i) => {
          for (const [name, answer] of known) row.set(name, answer(inputs[i]));
        });
      }
      return results;
    },
  };
}

/** A filter that is only a string, `true`, `false` or `null`: its value, the same for every input. */
function literalOf(filter: string): FieldResult | undefined {
  const text = filter.trim();
  if (!/^("(?:[^"\\]|\\["\\/bfnrtu])*"|true|false|null)$/.test(text)) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** A filter that is only a path of plain keys and indexes (`.content.name`, `.file.content[0]`): its steps. */
export function plainPathOf(filter: string): Array<string | number> | undefined {
  const text = filter.trim();
  if (text === '.') return [];
  // The first step starts with a dot (a bare `[0]` builds an array); later ones may index without one.
  if (!/^(?:\.[A-Za-z_][A-Za-z0-9_]*|\.\[\d+\])(?:\.[A-Za-z_][A-Za-z0-9_]*|\.?\[\d+\])*$/.test(text)) return undefined;
  return [...text.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map(
    (m) => (m[1] ?? Number(m[2])) as string | number,
  );
}

/** What jq answers for a plain path on a value: null past a null, and jq's own error for a wrong type. */
export function walkPath(input: unknown, path: Array<string | number>): FieldResult {
  let value = input;
  for (const step of path) {
    if (value === null || value === undefined) {
      value = null;
      continue;
    }
    if (typeof step === 'string') {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return { error: `Cannot index ${jqType(value)} with string (${JSON.stringify(step)})` };
      }
      value = Object.hasOwn(value, step) ? (value as Record<string, unknown>)[step] : null;
    } else {
      if (!Array.isArray(value)) return { error: `Cannot index ${jqType(value)} with number (${step})` };
      value = step < value.length ? value[step] : null;
    }
  }
  return { value: value ?? null };
}

function jqType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}
