import { Git } from '../git/index.js';
import { type ManagedBlueprint, planBlueprints } from '../plan/index.js';
import type { PortApi } from '../port.js';
import type { PreparedRun } from './prepare.js';

/**
 * With config `manageBlueprints`: each managed blueprint read from Port and compared with its
 * definition (`planBlueprints`), with what the run knows beside: the files a change makes invalid, the
 * definitions at the base (drift), and the entities this run deletes first (`deletesRemoved`).
 * Undefined without the config.
 */
export async function readManagedBlueprints(
  run: PreparedRun,
  port: Pick<PortApi, 'findBlueprint' | 'countEntities'>,
  deletesRemoved: boolean,
): Promise<ManagedBlueprint[] | undefined> {
  const { manageBlueprints, blueprintsDir } = run.config;
  if (!manageBlueprints) return undefined;
  return planBlueprints(
    port,
    run.blueprints,
    manageBlueprints,
    blueprintsDir,
    invalidFilesOf(run),
    await definitionsAtBase(run),
    deletesRemoved ? removedEntitiesOf(run) : undefined,
  );
}

/** How many of the run's invalid files hold an entity of a blueprint: what a blueprint change breaks. */
function invalidFilesOf(run: PreparedRun): (blueprint: string) => number {
  const counts = new Map<string, number>();
  for (const file of run.files) {
    if (!run.validation.invalidFiles.has(file.path)) continue;
    for (const blueprint of new Set(file.entities.map((entity) => entity.blueprint))) {
      if (blueprint !== undefined) counts.set(blueprint, (counts.get(blueprint) ?? 0) + 1);
    }
  }
  return (blueprint) => counts.get(blueprint) ?? 0;
}

/**
 * The blueprint definitions in `blueprintsDir` at the selection's base, by identifier: what Port held
 * once that commit was synced, to tell a change made in Port outside git (drift). None for a run of
 * every file (no base), or when a definition there does not parse.
 */
async function definitionsAtBase(run: PreparedRun): Promise<Map<string, Record<string, unknown>>> {
  const definitions = new Map<string, Record<string, unknown>>();
  const { base } = run.selection;
  if (!base || !run.repository.gitRoot) return definitions;
  const git = new Git(run.repository.root);
  const paths = (await git.filesAt(base, run.config.blueprintsDir)).filter((path) => path.endsWith('.json'));
  const names = paths.map((path) => `${base}:./${path}`);
  const texts = await git.blobs(names);
  for (const name of names) {
    try {
      const parsed = JSON.parse(texts.get(name) ?? '') as { blueprint?: Record<string, unknown> };
      const definition = (parsed.blueprint ?? parsed) as Record<string, unknown>;
      if (typeof definition.identifier === 'string') definitions.set(definition.identifier, definition);
    } catch {}
  }
  return definitions;
}

/** How many entities of a blueprint the selected change removed (deleted by sync with deleteRemoved). */
function removedEntitiesOf(run: PreparedRun): (blueprint: string) => number {
  const counts = new Map<string, number>();
  for (const { blueprint } of run.changes?.removed ?? []) counts.set(blueprint, (counts.get(blueprint) ?? 0) + 1);
  return (blueprint) => counts.get(blueprint) ?? 0;
}
