import { FatalError } from '../errors.js';
import type { PortApi } from '../port.js';
import { type BlueprintChange, diffBlueprint } from './blueprint-diff.js';

/** Blueprints read from Port at once: a data model has tens of them, and each is one GET. */
const READS_AT_ONCE = 8;

/**
 * The changes that would bring Port's blueprints to the managed definitions of the repository (config
 * `manageBlueprints`: true for all of them, or a list of identifiers), each read live and compared key by
 * key (`diffBlueprint`). A listed identifier without a definition is a configuration error: the list says
 * what the repository owns, and a missing file must not read as "delete it". Blueprints Port holds that
 * the repository does not manage are left out: managing one is opting in. Reads only.
 */
export async function planBlueprints(
  port: Pick<PortApi, 'findBlueprint'>,
  definitions: ReadonlyMap<string, object>,
  manage: boolean | string[] | undefined,
  blueprintsDir: string,
): Promise<BlueprintChange[]> {
  if (!manage) return [];
  const identifiers = manage === true ? [...definitions.keys()].sort() : [...manage].sort();
  const missing = identifiers.filter((identifier) => !definitions.has(identifier));
  if (missing.length > 0) {
    throw new FatalError(
      'config',
      `"manageBlueprints" lists ${missing.map((id) => JSON.stringify(id)).join(', ')}, with no definition in ${blueprintsDir}`,
      'add the definition (port-gitops blueprints pull writes it), or take the identifier out of the list',
    );
  }
  const changes: BlueprintChange[][] = [];
  for (let i = 0; i < identifiers.length; i += READS_AT_ONCE) {
    const batch = identifiers.slice(i, i + READS_AT_ONCE);
    changes.push(
      ...(await Promise.all(
        batch.map(async (identifier) =>
          diffBlueprint(
            identifier,
            await port.findBlueprint(identifier),
            definitions.get(identifier) as Record<string, unknown>,
          ),
        ),
      )),
    );
  }
  return changes.flat();
}
