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
  /** `filters` (by name) on each input; one result map per input, in order. */
  evaluate(inputs: unknown[], filters: ReadonlyMap<string, string>): Array<Map<string, FieldResult>>;
}

/** Inputs per jq run: a run's input and output live in WebAssembly memory, capped at 256 MB. */
const BATCH = 1000;
const NO_ENVIRONMENT = 'def env: {}; {} as $ENV | ';
const VALUE = '\u0000value';
const NONE = '\u0000none';
const ERROR = '\u0000error';

let loading: Promise<Jq> | undefined;

export async function loadJqEngine(): Promise<JqEngine> {
  loading ??= import('jq-wasm/inline').then(({ loadJq }) => loadJq());
  const jq = await loading;
  return {
    compileError(filter) {
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
    },
    evaluate(inputs, filters) {
      const names = [...filters.keys()];
      const fields = names
        .map(
          (name, i) =>
            `${JSON.stringify(`f${i}`)}: (try ([limit(1; ${filters.get(name)})] | if length == 0 then {${JSON.stringify(NONE)}: true} else {${JSON.stringify(VALUE)}: .[0]} end) catch {${JSON.stringify(ERROR)}: .})`,
        )
        .join(', ');
      const program = `${NO_ENVIRONMENT}[.[] | {${fields}}]`;
      const results: Array<Map<string, FieldResult>> = [];
      for (let start = 0; start < inputs.length; start += BATCH) {
        const [rows] = jq.json<Array<Record<string, Record<string, unknown>>>>(
          inputs.slice(start, start + BATCH),
          program,
          ['-c'],
        );
        for (const row of rows ?? []) {
          results.push(
            new Map<string, FieldResult>(
              names.map((name, i): [string, FieldResult] => {
                const cell = row[`f${i}`]!;
                if (VALUE in cell) return [name, { value: cell[VALUE] }];
                if (NONE in cell) return [name, { none: true }];
                const error = cell[ERROR];
                return [name, { error: typeof error === 'string' ? error : JSON.stringify(error) }];
              }),
            ),
          );
        }
      }
      return results;
    },
  };
}
