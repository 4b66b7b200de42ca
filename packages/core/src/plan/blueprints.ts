import { FatalError } from '../errors.js';
import type { PortApi } from '../port.js';
import { type BlueprintChange, diffBlueprint } from './blueprint-diff.js';

/** Blueprints read from Port at once: a data model has tens of them, and each is one GET. */
const READS_AT_ONCE = 8;

type Definition = Record<string, unknown>;

/** A managed blueprint: its definition in the repository, as Port holds it now, and what differs. */
export interface ManagedBlueprint {
  identifier: string;
  /** Undefined: the selected change removed its definition, so the blueprint is to be deleted. */
  definition: Definition | undefined;
  /** Undefined: Port does not have it yet. */
  live: Definition | undefined;
  changes: BlueprintChange[];
}

/**
 * The managed blueprints (config `manageBlueprints`: true for every definition, or a list of
 * identifiers), each read live from Port and compared key by key with its definition (`diffBlueprint`).
 * A listed identifier without a definition is a configuration error: the list says what the repository
 * owns, and a missing file must not read as "delete it". Blueprints Port holds that the repository does
 * not manage are left out: managing one is opting in. With `true`, a definition the selected change
 * removed (it is in `synced`, not in `definitions`) deletes its blueprint: destructive, or blocked while
 * Port holds entities of it (Port refuses: has_dependents). Reads only.
 */
export async function planBlueprints(
  port: Pick<PortApi, 'findBlueprint' | 'countEntities'>,
  definitions: ReadonlyMap<string, object>,
  manage: boolean | string[] | undefined,
  blueprintsDir: string,
  /** How many selected entity files of the blueprint are invalid against its new definition. */
  invalidFilesOf: (blueprint: string) => number = () => 0,
  /**
   * The definitions at the selection's base: what Port held once it was synced. Where Port differs
   * from them, someone changed it outside git (drift), and a change that overwrites that is marked.
   */
  synced: ReadonlyMap<string, Definition> = new Map(),
  /** How many entities of the blueprint this run deletes before it deletes blueprints. */
  deletedBefore: (blueprint: string) => number = () => 0,
): Promise<ManagedBlueprint[]> {
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
  const removed = manage === true ? [...synced.keys()].filter((id) => !definitions.has(id)).sort() : [];
  const all = [...identifiers, ...removed];
  const managed: ManagedBlueprint[] = [];
  for (let i = 0; i < all.length; i += READS_AT_ONCE) {
    const batch = all.slice(i, i + READS_AT_ONCE);
    managed.push(
      ...(await Promise.all(
        batch.map(async (identifier) => {
          const definition = definitions.get(identifier) as Definition | undefined;
          const live = await port.findBlueprint(identifier);
          const changes = diffBlueprint(identifier, live, definition);
          if (live && !definition) {
            const count = await port.countEntities(identifier);
            for (const change of changes) {
              change.impact = { entitiesInPort: count, invalidFiles: 0 };
              if (count > deletedBefore(identifier) && change.class === 'destructive') {
                change.class = 'blocked';
                change.reason = `Port refuses to delete a blueprint while it holds entities of it (has_dependents): remove their files and sync with --delete-removed, or opt in with --delete-entities`;
              }
            }
            return { identifier, definition, live, changes };
          }
          const was = synced.get(identifier);
          if (live && was) markDrift(changes, diffBlueprint(identifier, was, live));
          const risky = changes.filter((c) => c.class === 'breaking' || c.class === 'destructive');
          if (live && risky.length > 0) {
            const impact = {
              entitiesInPort: await port.countEntities(identifier),
              invalidFiles: invalidFilesOf(identifier),
            };
            for (const change of risky) change.impact = impact;
          }
          return { identifier, definition, live, changes };
        }),
      )),
    );
  }
  return managed;
}

/**
 * Marks each change that overwrites a change made in Port outside git (`drifted`: from the synced
 * definition to Port's), on the same key or one inside or around it, and classes it at least
 * destructive: applying it loses what someone did in Port, so it needs --allow-destructive.
 */
function markDrift(changes: BlueprintChange[], drifted: BlueprintChange[]): void {
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || !a || !b;
  for (const change of changes) {
    if (!drifted.some((d) => related(change.path, d.path))) continue;
    change.drift = true;
    change.reason = `${change.reason}; it overwrites a change made in Port outside git`;
    if (change.class === 'safe' || change.class === 'breaking') change.class = 'destructive';
  }
}
