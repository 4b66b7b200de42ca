import { ApiError } from './api-error.js';
import type { SearchQuery, SearchRule, StoredEntity } from './types.js';

/**
 * Evaluates the rule kinds a GitOps tool needs: property rules (`{property, operator, value}`, a property
 * identifier or a `$` meta-property) and relation rules (`{relation, operator, value}`, on the related
 * identifiers). Kinds Port documents but the emulator does not implement (relatedTo, date presets, timers,
 * propertySchema, matchAny, a relation's `targetProperty`) are refused, with an id of the emulator's own,
 * rather than answered wrongly.
 */
export function matchesQuery(entity: StoredEntity, query: SearchQuery): boolean {
  return matches(entity, query);
}

/** Refuses a query the emulator cannot answer, whether or not any entity would reach the rule. */
export function checkQuery(query: SearchQuery): void {
  if (!query || (query.combinator !== 'and' && query.combinator !== 'or') || !Array.isArray(query.rules)) {
    throw new ApiError('route-schema', 'a query needs "combinator" ("and" or "or") and "rules"');
  }
  for (const rule of query.rules) {
    if ('combinator' in rule) checkQuery(rule);
    else if (!OPERATORS.has(rule.operator)) {
      throw new ApiError('unsupported', `the emulator does not implement the search operator "${rule.operator}"`);
    } else if ('relation' in rule) {
      if (typeof rule.relation !== 'string' || rule.targetProperty !== undefined) {
        throw new ApiError(
          'unsupported',
          'the emulator supports relation rules on the related identifiers only (no "targetProperty")',
        );
      }
    } else if (typeof rule.property !== 'string') {
      throw new ApiError(
        'unsupported',
        'the emulator supports only a property identifier or a $ meta-property in "property"',
      );
    }
  }
}

const OPERATORS = new Set([
  '=',
  '!=',
  'in',
  'containsAny',
  'notIn',
  'contains',
  'doesNotContains',
  'beginsWith',
  'doesNotBeginsWith',
  'endsWith',
  'doesNotEndsWith',
  'isEmpty',
  'isNotEmpty',
  '>',
  '>=',
  '<',
  '<=',
]);

function matches(entity: StoredEntity, query: SearchQuery): boolean {
  const results = query.rules.map((rule) => ('combinator' in rule ? matches(entity, rule) : matchesRule(entity, rule)));
  return query.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function matchesRule(entity: StoredEntity, rule: SearchRule): boolean {
  const actual = 'relation' in rule ? entity.relations[rule.relation!] : readProperty(entity, rule.property!);
  const expected = rule.value;
  switch (rule.operator) {
    case '=':
      return Array.isArray(actual) ? actual.includes(expected) : actual === expected;
    case '!=':
      return Array.isArray(actual) ? !actual.includes(expected) : actual !== expected;
    case 'in':
    case 'containsAny': {
      const options = Array.isArray(expected) ? expected : [expected];
      return Array.isArray(actual) ? actual.some((a) => options.includes(a)) : options.includes(actual);
    }
    case 'notIn':
      return !(Array.isArray(expected) ? expected : [expected]).includes(actual);
    case 'contains':
      return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
    case 'doesNotContains':
      return !(typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected));
    case 'beginsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'doesNotBeginsWith':
      return !(typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected));
    case 'endsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.endsWith(expected);
    case 'doesNotEndsWith':
      return !(typeof actual === 'string' && typeof expected === 'string' && actual.endsWith(expected));
    case 'isEmpty':
      return actual === undefined || actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0);
    case 'isNotEmpty':
      return !(
        actual === undefined ||
        actual === null ||
        actual === '' ||
        (Array.isArray(actual) && actual.length === 0)
      );
    case '>':
    case '>=':
    case '<':
    case '<=':
      return compare(actual, expected, rule.operator);
    default:
      return false; // checkQuery refused every other operator
  }
}

function compare(actual: unknown, expected: unknown, operator: '>' | '>=' | '<' | '<='): boolean {
  if (actual === undefined || actual === null) return false;
  const a = actual as number | string;
  const b = expected as number | string;
  if (operator === '>') return a > b;
  if (operator === '>=') return a >= b;
  if (operator === '<') return a < b;
  return a <= b;
}

const META_PROPERTIES: Record<string, (e: StoredEntity) => unknown> = {
  $identifier: (e) => e.identifier,
  $title: (e) => e.title,
  $icon: (e) => e.icon,
  $team: (e) => e.team,
  $blueprint: (e) => e.blueprint,
  $createdAt: (e) => e.createdAt,
  $updatedAt: (e) => e.updatedAt,
  $createdBy: (e) => e.createdBy,
  $updatedBy: (e) => e.updatedBy,
  $datasource: (e) => e.datasource,
};

/** A property rule reads a property or a meta-property, never a relation (relation rules do that). */
function readProperty(entity: StoredEntity, property: string): unknown {
  const meta = META_PROPERTIES[property];
  return meta ? meta(entity) : entity.properties[property];
}
