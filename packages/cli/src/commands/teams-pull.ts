import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { EXIT, describeRepository, loadConfig, repositoryId } from '@port-gitops/core';
import type { Output } from '../output.js';
import { portConnector } from '../port.js';
import type { TargetFlags } from './options.js';

export interface TeamsPullArgs {
  cwd?: string;
  config?: string;
  baseUrl?: string;
  region?: TargetFlags['region'];
}

/**
 * Saves Port's teams (the `_team` entities) into `teamsFile`, sorted, identifier and title only, so that
 * `check` can refuse a team Port does not have before anything is pushed; meant to be committed.
 */
export async function runTeamsPull(
  args: TeamsPullArgs,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const repository = await describeRepository(cwd);
  const { config } = loadConfig(
    repository.root,
    args.config && !isAbsolute(args.config) ? resolve(cwd, args.config) : args.config,
  );
  const connect = portConnector('teams pull', args, output, env);
  const client = connect({ settings: config.port, repositoryId: await repositoryId(repository, env) });
  const found = await client.searchBlueprintEntities('_team', undefined, { include: ['identifier', 'title'] });
  const teams = found
    .map((team) => ({ identifier: team.identifier, ...(typeof team.title === 'string' ? { title: team.title } : {}) }))
    .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0));
  const path = join(repository.root, config.teamsFile);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ teams }, null, 2)}\n`);
  output.out(
    `pulled ${teams.length} team${teams.length === 1 ? '' : 's'} into ${config.teamsFile}: ${teams.map((t) => t.identifier).join(', ')}`,
  );
  return EXIT.ok;
}
