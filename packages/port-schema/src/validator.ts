import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Blueprint } from './blueprint.js';
import { compileBlueprintSchema } from './blueprint-schema.js';
import type { JsonSchema } from './entity-schema.js';
import { PORT_STRING_FORMATS } from './formats.js';
import type { LinearRegExp } from './linear-regexp.js';

export type SchemaError = ErrorObject;

/** An ajv instance that knows Port's formats; every Port-shaped schema is compiled with one. */
function createPortAjv(options: { verbose?: boolean; patterns?: LinearRegExp } = {}): Ajv {
  // verbose: errors carry the offending value and the parent schema, for messages and hints.
  // validateSchema off: these are our own schemas, covered by tests; checking them against the
  // meta-schema on every start costs more than compiling them.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    unicodeRegExp: true,
    verbose: options.verbose ?? false,
    validateSchema: false,
    ...(options.patterns ? { code: { regExp: options.patterns.engine } } : {}),
  });
  for (const [name, validate] of Object.entries(PORT_STRING_FORMATS)) {
    ajv.addFormat(name, { type: 'string', validate });
  }
  return ajv;
}

let shared: Ajv | undefined;
/** One verbose Port ajv instance per process, for this project's own schemas, compiled once per run. */
export function sharedPortAjv(): Ajv {
  shared ??= createPortAjv({ verbose: true });
  return shared;
}

export interface EntityValidatorOptions {
  /** For this project's own schemas (the route's body); default a new Port ajv instance. */
  ajv?: Ajv;
  /** Errors carry the offending value and the parent schema (for messages). */
  verbose?: boolean;
  /** Run the blueprints' own patterns on a linear-time engine (loadLinearRegExp). */
  patterns?: LinearRegExp;
}

/**
 * Validates entities against their blueprint as Port does (the route's own body schema is in routes.ts). Blueprint
 * schemas are compiled once per blueprint definition and reused, on an ajv instance of their own: their
 * patterns come from the repository and run on the linear-time engine when one is given.
 */
export class EntityValidator {
  private readonly ajv: Ajv;
  private readonly blueprintAjv: Ajv;
  private readonly byBlueprint = new WeakMap<Blueprint, ValidateFunction>();
  private readonly patterns: LinearRegExp | undefined;

  constructor(options: EntityValidatorOptions = {}) {
    this.ajv = options.ajv ?? createPortAjv({ verbose: options.verbose ?? false });
    this.patterns = options.patterns;
    this.blueprintAjv = options.patterns
      ? createPortAjv({ verbose: options.verbose ?? true, patterns: options.patterns })
      : this.ajv;
  }

  compile(schema: JsonSchema): ValidateFunction {
    return this.ajv.compile(schema);
  }

  /** The blueprint's schema, compiled on first use and kept for as long as the definition is. */
  prepare(blueprint: Blueprint): ValidateFunction {
    let validate = this.byBlueprint.get(blueprint);
    if (!validate) {
      validate = this.blueprintAjv.compile(compileBlueprintSchema(blueprint));
      this.byBlueprint.set(blueprint, validate);
    }
    return validate;
  }

  /** Errors of an entity's properties and relations against its blueprint; pointers start at the entity. */
  validateAgainstBlueprint(blueprint: Blueprint, entity: { properties?: unknown; relations?: unknown }): SchemaError[] {
    const validate = this.prepare(blueprint);
    const subject = { properties: entity.properties ?? {}, relations: entity.relations ?? {} };
    return validate(subject) ? [] : [...(validate.errors ?? [])];
  }

  /** The blueprint's property patterns the linear engine cannot run (never checked offline), with why. */
  uncheckedPatterns(blueprint: Blueprint): Array<{ property: string; pattern: string; reason: string }> {
    if (!this.patterns) return [];
    return Object.entries(blueprint.schema?.properties ?? {}).flatMap(([property, schema]) => {
      const reason = typeof schema.pattern === 'string' ? this.patterns!.unsupported(schema.pattern) : undefined;
      return reason ? [{ property, pattern: schema.pattern as string, reason }] : [];
    });
  }
}
