import { type Blueprint, type EntityValidator, isBlueprintIdentifier } from '@port-gitops/port-schema';
import { closest } from '../closest.js';
import type { LoadedEntity, Locator, Problem } from '../model.js';
import { encodePointer, place } from '../source/index.js';

/** `/` and `\`: Port's pattern admits them in a blueprint identifier, which its routes take as one path segment. */
const PATH_SEPARATOR = /[/\\]/;

/**
 * What the blueprint definitions cannot check, said once per blueprint (or per property) on its first
 * use: an entity of a blueprint `blueprintsDir` does not define is checked only against Port's entity
 * rules, and sync may fail where check passed (a warning; an error on every such entity with
 * `strictBlueprints`); a blueprint pattern the linear-time engine cannot run is not checked offline. A
 * blueprint without a definition whose identifier holds `/` or `\` (`../../v1/blueprints`) is an error on
 * each entity: no request for it is sent on the word of a name alone.
 */
export function checkDefinitions(
  options: { blueprints: ReadonlyMap<string, Blueprint>; blueprintsDir?: string; strictBlueprints?: boolean },
  entities: EntityValidator,
): (entity: LoadedEntity, locator: Locator) => Problem[] {
  const warned = new Set<string>();
  const dir = options.blueprintsDir ?? '.port/blueprints';
  const known = [...options.blueprints.keys()];
  return (entity, locator) => {
    if (!entity.blueprint) return [];
    const blueprint = options.blueprints.get(entity.blueprint);
    const at = (pointer: string) => ({ file: entity.file, ...place(locator, entity.pointer + pointer) });
    if (!blueprint) {
      // A value that cannot be a blueprint identifier has its own error: no definition could exist.
      if (!isBlueprintIdentifier(entity.blueprint)) return [];
      if (PATH_SEPARATOR.test(entity.blueprint)) {
        return [
          {
            ...at('/blueprint'),
            code: 'blueprint',
            severity: 'error',
            rule: 'blueprint-identifier',
            message: `blueprint "${entity.blueprint}" has no definition in ${dir} and holds a path separator: it is not sent to Port, where it would stand in the path of every request for its entities`,
            hint: `name a blueprint that exists in Port, or run \`port-gitops blueprints pull\` if this one does (docs/port-fidelity.md)`,
          },
        ];
      }
      if (!options.strictBlueprints && warned.has(entity.blueprint)) return [];
      warned.add(entity.blueprint);
      const slip =
        known.find((id) => id.toLowerCase() === entity.blueprint!.toLowerCase()) ?? closest(entity.blueprint, known);
      return [
        {
          ...at('/blueprint'),
          code: 'blueprint',
          severity: options.strictBlueprints ? 'error' : 'warning',
          rule: 'blueprint-definition',
          message: `blueprint "${entity.blueprint}" has no definition in ${dir}: its entities are checked against Port's entity rules only, and Port may still refuse them`,
          hint: slip
            ? `did you mean "${slip}"? (blueprint identifiers are case-sensitive)`
            : `run \`port-gitops blueprints pull ${entity.blueprint}\` and commit ${dir}${options.strictBlueprints ? '' : ' (--strict-blueprints makes this an error)'}`,
        },
      ];
    }
    const problems: Problem[] = [];
    const properties = (entity.data.properties ?? {}) as Record<string, unknown>;
    for (const { property, pattern, reason } of entities.uncheckedPatterns(blueprint)) {
      const key = `${blueprint.identifier}\u0000${property}`;
      if (!(property in properties) || warned.has(key)) continue;
      warned.add(key);
      problems.push({
        ...at(encodePointer(['properties', property])),
        code: 'blueprint',
        severity: 'warning',
        rule: 'pattern-unchecked',
        message: `the pattern ${pattern} of property "${property}" in blueprint "${blueprint.identifier}" is not checked here (${reason}); Port will check it`,
        hint: 'patterns are checked in linear time (RE2), which has no lookaround and no backreferences',
      });
    }
    return problems;
  };
}
