import { type Blueprint, type SchemaError, computedPropertyKinds, unverifiedRule } from '@port-gitops/port-schema';
import type { LoadedEntity, Locator, Problem } from '../model.js';
import { unknownKeyHint } from '../schema-errors.js';
import { decodePointer, encodePointer, place } from '../source/index.js';

/** Which schema judged the entity: it names the rule and, for the shared schema, the message. */
export interface ErrorContext {
  source: 'entity' | 'shared' | 'blueprint';
  schemaPath?: string;
  blueprint?: Blueprint;
  /** How a blueprint's error that rests on a rule Port does not document is reported. */
  unverified?: 'error' | 'warning';
}

/** What a keyword's wording adds to the defaults: where to point, the message, a hint, the rule's name. */
interface Described {
  /** Appended to the error's instance path. */
  suffix?: string;
  /** Point at the key rather than the value (the value is absent or the key itself is wrong). */
  key?: boolean;
  message: string;
  hint?: string;
  rule?: string;
}

type Describe = (error: SchemaError, context: ErrorContext) => Described;

/** " (found <value>)", for messages about a value the file holds. */
function found(error: SchemaError): string {
  return error.data === undefined ? '' : ` (found ${shorten(error.data)})`;
}

const params = (error: SchemaError) => error.params as Record<string, unknown>;

/** One wording per ajv keyword; anything else takes ajv's own message. */
const DESCRIBE: Record<string, Describe> = {
  required: (error) => {
    // The property is not there: point at the key of the object that lacks it.
    const missing = String(params(error).missingProperty);
    return { suffix: encodePointer([missing]), key: true, message: `missing required property "${missing}"` };
  },
  additionalProperties: (error, context) => {
    const name = String(params(error).additionalProperty);
    const area =
      error.instancePath === '/properties' ? 'property' : error.instancePath === '/relations' ? 'relation' : 'field';
    const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> })?.properties ?? {});
    const where = context.blueprint && area !== 'field' ? ` in blueprint "${context.blueprint.identifier}"` : '';
    return {
      suffix: encodePointer([name]),
      key: true,
      rule: `unknown-${area}`,
      message: `unknown ${area} "${name}"${where}`,
      hint: unknownKeyHint(name, known, { listKnown: true }),
    };
  },
  enum: (error) => {
    const allowed = (params(error).allowedValues as unknown[]).filter((v) => v !== null);
    return { message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${found(error)}` };
  },
  type: (error, context) => {
    const inRelation = error.instancePath.startsWith('/relations/');
    // null (clears a value) and a search-query object are always allowed; naming them only distracts.
    const types = String(params(error).type)
      .split(',')
      .filter((t) => t !== 'null' && !(t === 'object' && inRelation));
    const emptyKey = error.data === null && /^\/(properties|relations)$/.test(error.instancePath);
    return {
      message: `must be ${types.join(' or ')}${found(error)}`,
      hint: emptyKey
        ? `"${error.instancePath.slice(1)}:" is there with nothing under it: write {} or remove the line`
        : inRelation
          ? relationHint(error.instancePath, context.blueprint)
          : undefined,
    };
  },
  format: (error) => ({ message: `must match format "${String(params(error).format)}"${found(error)}` }),
  pattern: (error, context) => {
    if (context.source !== 'shared' && /^\/(identifier|relations\/)/.test(error.instancePath)) {
      return {
        message: `is not a valid identifier${found(error)}`,
        hint: 'identifiers hold letters, digits and @ _ . + : \\ / = - only, and may not be "." or ".."',
        rule: 'identifier',
      };
    }
    if (context.source === 'entity' && error.instancePath === '/blueprint') {
      return {
        message: `is not a valid blueprint identifier${found(error)}`,
        hint: 'blueprint identifiers hold letters, digits and @ _ . + : \\ / - only, and may not be "." or ".."',
        rule: 'identifier',
      };
    }
    return { message: `must match the pattern ${String(params(error).pattern)}${found(error)}` };
  },
  propertyNames: (error) => ({
    message: `has an invalid key ${JSON.stringify(params(error).propertyName)}`,
    rule: 'key-pattern',
    hint: 'property and relation keys hold A-Z a-z 0-9 @ _ = - only',
  }),
  'false schema': (error, context) => {
    const name = decodePointer(error.instancePath).pop() ?? '';
    const kind = context.blueprint ? computedPropertyKinds(context.blueprint).get(name) : undefined;
    const shown = error.instancePath.split('/').pop() ?? '';
    return {
      message: `"${shown}" is ${kind === 'aggregation' ? 'an' : 'a'} ${kind ?? 'computed'} property: Port computes it, so it cannot be set in a file`,
      rule: 'computed-property',
      key: true,
    };
  },
};

/** An ajv error as a problem of the entity: placed on its line and column, worded for the author. */
export function toProblem(error: SchemaError, entity: LoadedEntity, locator: Locator, context: ErrorContext): Problem {
  const described = DESCRIBE[error.keyword]?.(error, context) ?? {
    message: `${error.message ?? 'is invalid'}${found(error)}`,
  };
  let message = described.message;
  if (context.source === 'shared') message += ` (shared schema ${context.schemaPath})`;
  const origin =
    context.source === 'blueprint'
      ? `blueprint ${context.blueprint?.identifier}`
      : context.source === 'shared'
        ? 'shared schema'
        : 'port entity';
  const pointer = entity.pointer + error.instancePath + (described.suffix ?? '');
  // A rule Port does not document: kept strict by default, said so, and a warning if the config asks.
  const unverified = context.blueprint ? unverifiedRule(error, context.blueprint) : undefined;
  const doubt = unverified
    ? `${unverified}${context.unverified === 'warning' ? '' : '; config "unverifiedRules": "warning" makes this a warning'}`
    : undefined;
  const hint = [described.hint, doubt].filter(Boolean).join('; ');
  return {
    file: entity.file,
    ...place(locator, pointer, { key: described.key ?? false }),
    code: 'schema',
    severity: unverified && context.unverified === 'warning' ? 'warning' : 'error',
    rule: `${origin}: ${described.rule ?? error.keyword}`,
    message: unverified ? `${message} (Port may accept this)` : message,
    ...(hint ? { hint } : {}),
  };
}

function relationHint(instancePath: string, blueprint: Blueprint | undefined): string | undefined {
  const name = instancePath.split('/')[2];
  const relation = name ? blueprint?.relations?.[name] : undefined;
  if (!relation) return undefined;
  return relation.many
    ? `"${name}" is a many relation to "${relation.target}": a list of identifiers, e.g. ["a", "b"]`
    : `"${name}" is a single relation to "${relation.target}": one identifier, e.g. "a"`;
}

/** A value as shown in a message, cut short: messages must stay readable whatever the file holds. */
function shorten(value: unknown): string {
  // JSON would show Infinity and NaN as null: say them as they are.
  const text =
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
