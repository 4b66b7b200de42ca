import { realpathSync } from 'node:fs';
import { FatalError } from '../errors.js';
import { readRepositoryFile } from '../files.js';
import { parseJsonSource } from '../source/index.js';

/** Port's teams as `teams pull` saved them: the names an entity's `team` may hold. */
export interface KnownTeams {
  /** Repository-relative path of the snapshot, for messages. */
  path: string;
  names: ReadonlySet<string>;
}

const MAX_TEAMS_BYTES = 8 * 1024 * 1024;

/**
 * Reads the teams snapshot (`teamsFile`, `{ "teams": [{ "identifier": "platform", ... }] }`), or returns
 * undefined when there is none: then team names are left to Port. A snapshot that cannot be read ends
 * the run, as a broken blueprint file does.
 */
export function loadTeams(root: string, path: string): KnownTeams | undefined {
  const read = readRepositoryFile({ root, realRoot: realpathSync.native(root) }, path, {
    limit: MAX_TEAMS_BYTES,
    noLink: false,
  });
  if (!read.ok) {
    if (read.kind === 'missing') return undefined;
    throw new FatalError('config', `the teams file ${path} ${read.reason}`);
  }
  const source = parseJsonSource(read.text);
  const error = source.errors[0];
  if (error) throw new FatalError('config', `${path}:${error.line}:${error.column}: ${error.message}`);
  const teams = (source.documents[0] as { teams?: unknown } | undefined)?.teams;
  if (!Array.isArray(teams) || teams.some((team) => typeof team?.identifier !== 'string')) {
    throw new FatalError(
      'config',
      `${path} is not a teams file (it needs "teams": [{ "identifier": ... }])`,
      'port-gitops teams pull writes it',
    );
  }
  return { path, names: new Set(teams.map((team: { identifier: string }) => team.identifier)) };
}
