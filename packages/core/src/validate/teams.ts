import { type Blueprint, inheritsTeam } from '@port-gitops/port-schema';
import { closest } from '../closest.js';
import type { LoadedEntity, Locator, Problem } from '../model.js';
import type { KnownTeams } from '../read/index.js';
import { place } from '../source/index.js';

/**
 * An entity's `team`, judged as Port judges it (docs/port-fidelity.md): Port refuses any team on a
 * blueprint whose entities inherit theirs through a relation, and a team that is not one of its teams.
 * Team names are checked only against a snapshot of Port's teams (`teams pull`); without one, Port decides.
 */
export function checkTeams(options: {
  blueprints: ReadonlyMap<string, Blueprint>;
  teams?: KnownTeams | undefined;
}): (entity: LoadedEntity, locator: Locator) => Problem[] {
  return (entity, locator) => {
    const team = entity.data.team;
    if (team === undefined) return [];
    const at = (pointer: string, key = false) => ({
      file: entity.file,
      ...place(locator, entity.pointer + pointer, { key }),
    });
    const blueprint = entity.blueprint ? options.blueprints.get(entity.blueprint) : undefined;
    if (blueprint && inheritsTeam(blueprint)) {
      const path = blueprint.ownership?.path ?? blueprint.teamInheritance?.path;
      return [
        {
          ...at('/team', true),
          code: 'schema',
          severity: 'error',
          rule: 'team-inherited',
          message: `blueprint "${blueprint.identifier}" takes its entities' team from a related entity: Port refuses a "team" here`,
          hint: `remove "team"; the team comes through ${path ? `"${path}"` : 'the relation the blueprint names'}`,
        },
      ];
    }
    if (!options.teams) return [];
    const { names, path } = options.teams;
    const values: Array<[unknown, string]> =
      typeof team === 'string' ? [[team, '/team']] : Array.isArray(team) ? team.map((t, i) => [t, `/team/${i}`]) : [];
    const problems: Problem[] = [];
    for (const [value, pointer] of values) {
      if (typeof value !== 'string' || names.has(value)) continue;
      const slip = closest(value, names);
      problems.push({
        ...at(pointer),
        code: 'schema',
        severity: 'error',
        rule: 'unknown-team',
        message: `team "${value}" is not one of Port's teams (${path})`,
        hint: slip
          ? `did you mean "${slip}"?`
          : `Port refuses a team it does not have; if it was created since, run \`port-gitops teams pull\` and commit ${path}`,
      });
    }
    return problems;
  };
}
