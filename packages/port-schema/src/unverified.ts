import type { Blueprint } from './blueprint.js';
import type { SchemaError } from './validator.js';

/**
 * Why an error of an entity against its blueprint rests on a rule Port does not document, or undefined
 * when Port documents it (docs/port-fidelity.md, "Stricter than Port?"). port-gitops keeps these strict by
 * default (a file Port refuses must not pass), says that Port may accept the value, and config
 * `unverifiedRules: "warning"` lets the author decide.
 */
export function unverifiedRule(error: SchemaError, blueprint: Blueprint): string | undefined {
  const [area, key] = error.instancePath.split('/').slice(1);
  if (error.keyword === 'format') {
    return `Port does not publish how it checks the "${String((error.params as { format: string }).format)}" format`;
  }
  if (error.keyword === 'additionalProperties' && error.instancePath === '/properties') {
    return 'Port does not document whether it refuses a property its blueprint does not define';
  }
  if (error.keyword === 'type' && area === 'relations' && key !== undefined && typeof error.data === 'string') {
    if (blueprint.relations?.[key]?.many) {
      return "Port's route takes a single identifier for any relation; whether it accepts one for a many relation is not documented";
    }
  }
  return undefined;
}
