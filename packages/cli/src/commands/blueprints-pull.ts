import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { EXIT, describeRepository, loadConfig, repositoryId } from '@port-gitops/core';
import type { Output } from '../output.js';
import { portConnector } from '../port.js';
import type { TargetFlags } from './options.js';

export interface BlueprintsPullArgs {
  cwd?: string;
  config?: string;
  ids?: string[];
  baseUrl?: string;
  region?: TargetFlags['region'];
}

/** Fields Port changes on every edit: kept out of the files so that they change only when the model does. */
const VOLATILE = new Set(['createdAt', 'createdBy', 'updatedAt', 'updatedBy']);

/**
 * Saves blueprint definitions from Port into `blueprintsDir` (`<id>.json`), with keys in a stable
 * order, for offline validation; meant to be committed.
 */
export async function runBlueprintsPull(
  args: BlueprintsPullArgs,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const repository = await describeRepository(cwd);
  const { config } = loadConfig(
    repository.root,
    args.config && !isAbsolute(args.config) ? resolve(cwd, args.config) : args.config,
  );
  const connect = portConnector('blueprints pull', args, output, env);
  const client = connect({ settings: config.port, repositoryId: await repositoryId(repository, env) });
  const blueprints =
    args.ids && args.ids.length > 0
      ? await Promise.all(args.ids.map((id) => client.getBlueprint(id)))
      : await client.listBlueprints();
  const dir = join(repository.root, config.blueprintsDir);
  mkdirSync(dir, { recursive: true });
  for (const blueprint of blueprints) {
    const id = String(blueprint.identifier);
    writeFileSync(join(dir, `${blueprintFileName(id)}.json`), `${JSON.stringify(stable(blueprint), null, 2)}\n`);
  }
  output.out(
    `pulled ${blueprints.length} blueprint${blueprints.length === 1 ? '' : 's'} into ${config.blueprintsDir}: ${blueprints.map((b) => b.identifier).join(', ')}`,
  );
  return EXIT.ok;
}

/** Blueprint identifiers may hold `/`, `\` and `:`; the file name must not. */
export function blueprintFileName(id: string): string {
  return /^[A-Za-z0-9@_.+=-]+$/.test(id) ? id : encodeURIComponent(id);
}

/** Keys sorted at every level, volatile fields left out at the top. */
function stable(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => stable(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key]) => depth > 0 || !VOLATILE.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, stable(inner, depth + 1)]));
}
