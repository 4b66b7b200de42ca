import { ApiError } from './api-error.js';
import type { SearchQuery, SearchRule, StoredEntity } from './types.js';

/**
 * Evaluates the rule kinds a GitOps tool needs. Operators Port documents but the emulator does not
 * implement (relatedTo, date presets, timers, propertySchema, matchAny) are refused with a 422 that
 * says so, rather than answered wrongly.
 */
export function matchesQuery(entity: StoredEntity, query: SearchQuery): boolean {
  if (!query || (query.combinator !== 'and' && query.combinator !== 'or') || !Array.isArray(query.rules)) {
    throw new ApiError(422, `"query" must have required property 'combinator' and 'rules'`);
  }
  const results = query.rules.map((rule) =>
    'combinator' in rule ? matchesQuery(entity, rule) : matchesRule(entity, rule),
  );
  return query.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function matchesRule(entity: StoredEntity, rule: SearchRule): boolean {
  const actual = readProperty(entity, rule.property);
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
      throw new ApiError(422, `the emulator does not implement the search operator "${rule.operator}"`);
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

function readProperty(entity: StoredEntity, property: unknown): unknown {
  if (typeof property !== 'string') {
    throw new ApiError(422, 'the emulator supports only a property identifier or a $ meta-property in "property"');
  }
  const meta = META_PROPERTIES[property];
  if (meta) return meta(entity);
  if (property in entity.properties) return entity.properties[property];
  return entity.relations[property];
}
