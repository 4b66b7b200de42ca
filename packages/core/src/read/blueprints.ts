import { readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { type Blueprint, PORT_ROUTES, sharedPortAjv } from '@port-gitops/port-schema';
import { FatalError } from '../errors.js';
import { readRepositoryFile } from '../files.js';
import { parseJsonSource } from '../source/index.js';

/** Larger than any blueprint definition; a file past it is refused rather than read. */
const MAX_BLUEPRINT_BYTES = 8 * 1024 * 1024;

/**
 * Reads the blueprint definitions kept in the repository (`blueprintsDir`, `<id>.json` each) for
 * offline validation. A missing folder means none are known (the config check has already refused a
 * folder the config names and the repository lacks); a broken file, or two files defining one
 * blueprint, ends the run.
 */
export async function loadLocalBlueprints(
  root: string,
  dir: string,
  /** Config `manageBlueprints`: these definitions are written to Port, so they must be what Port takes. */
  manage: boolean | string[] = false,
): Promise<Map<string, Blueprint>> {
  const blueprints = new Map<string, Blueprint>();
  const from = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch {
    return blueprints;
  }
  const repository = { root, realRoot: realpathSync.native(root) };
  for (const name of names) {
    const path = `${dir}/${name}`;
    const read = readRepositoryFile(repository, path, { limit: MAX_BLUEPRINT_BYTES, noLink: false });
    if (!read.ok) throw new FatalError('config', `the blueprint file ${path} ${read.reason}`);
    const source = parseJsonSource(read.text);
    const error = source.errors[0];
    if (error) throw new FatalError('config', `${path}:${error.line}:${error.column}: ${error.message}`);
    const parsed = source.documents[0];
    // Accept both a bare definition and Port's `{ ok, blueprint }` answer.
    const blueprint = (parsed as { blueprint?: Blueprint }).blueprint ?? (parsed as Blueprint);
    if (typeof blueprint?.identifier !== 'string' || typeof blueprint.schema !== 'object') {
      throw new FatalError('config', `${path} is not a blueprint definition (it needs "identifier" and "schema")`);
    }
    const earlier = from.get(blueprint.identifier);
    if (earlier) {
      throw new FatalError(
        'config',
        `${earlier} and ${path} both define the blueprint "${blueprint.identifier}"`,
        'keep one of them (port-gitops blueprints pull writes <identifier>.json)',
      );
    }
    if (manage === true || (Array.isArray(manage) && manage.includes(blueprint.identifier))) {
      const wrapped = (parsed as { blueprint?: Blueprint }).blueprint !== undefined;
      const refusal = refusedByPort(blueprint);
      if (refusal) {
        const at = source.locator.locate(`${wrapped ? '/blueprint' : ''}${refusal.pointer}`);
        throw new FatalError(
          'config',
          `${path}:${at.line}:${at.column}: Port would refuse this managed blueprint: ${refusal.message}`,
          "Port's blueprint routes need a title (1 to 100 characters) and schema.properties",
        );
      }
    }
    from.set(blueprint.identifier, path);
    blueprints.set(blueprint.identifier, blueprint);
  }
  return blueprints;
}

/** The first way Port's blueprint routes would refuse this definition as a body, if any. */
function refusedByPort(definition: Blueprint): { pointer: string; message: string } | undefined {
  const body = PORT_ROUTES.find((route) => route.method === 'PUT' && route.path === '/v1/blueprints/{identifier}')!
    .body!;
  const validate = sharedPortAjv().compile(body);
  if (validate(definition)) return undefined;
  const error = validate.errors![0]!;
  const at = error.instancePath || '';
  const where = at ? `${at.slice(1).replaceAll('/', '.')} ` : '';
  return { pointer: at, message: `${where}${error.message ?? 'does not match'}` };
}
