import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Blueprint } from '@port-gitops/port-schema';
import { FatalError } from '../errors.js';

/**
 * Reads the blueprint definitions kept in the repository (`blueprintsDir`, `<id>.json` each) for
 * offline validation. A missing folder means none are known; a broken file ends the run.
 */
export async function loadLocalBlueprints(root: string, dir: string): Promise<Map<string, Blueprint>> {
  const blueprints = new Map<string, Blueprint>();
  let names: string[];
  try {
    names = (await readdir(join(root, dir))).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return blueprints;
  }
  for (const name of names) {
    const path = `${dir}/${name}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(root, dir, name), 'utf8'));
    } catch (error) {
      throw new FatalError('config', `cannot read the blueprint ${path}: ${(error as Error).message}`);
    }
    // Accept both a bare definition and Port's `{ ok, blueprint }` answer.
    const blueprint = (parsed as { blueprint?: Blueprint }).blueprint ?? (parsed as Blueprint);
    if (typeof blueprint?.identifier !== 'string' || typeof blueprint.schema !== 'object') {
      throw new FatalError('config', `${path} is not a blueprint definition (it needs "identifier" and "schema")`);
    }
    blueprints.set(blueprint.identifier, blueprint);
  }
  return blueprints;
}
