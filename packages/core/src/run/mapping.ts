import { FatalError } from '../errors.js';
import type { Config } from '../config/index.js';
import { type RepositoryInfo, gitText, repositoryId } from '../git/index.js';
import { type RepositoryFacts, filtersOf, loadJqEngine } from '../mapping/index.js';
import { type EntityReaderOptions, createTargetReader } from '../read/index.js';

/**
 * What the file-kind mappings run with: jq (loaded now, and only when there are mappings), every filter
 * compiled once (one that does not compile is a config error at its line and column in the app config),
 * and the repository as the local clone knows it. Undefined when the repository has no mappings.
 */
export async function openMapping(
  config: Config,
  repository: RepositoryInfo,
  env: NodeJS.ProcessEnv,
): Promise<EntityReaderOptions['mapping']> {
  const mappings = config.mappings;
  if (!mappings || mappings.appConfig.resources.length === 0) return undefined;
  const [engine, facts] = await Promise.all([loadJqEngine(), repositoryFacts(repository, env)]);
  const file = mappings.appConfig.file;
  const filters = mappings.appConfig.resources.flatMap(filtersOf);
  const failed = engine.firstCompileError(filters.map(({ filter }) => filter.jq));
  if (failed) {
    const { name, filter } = filters[failed.index]!;
    throw new FatalError(
      'config',
      `${file}:${filter.at.line}:${filter.at.column}: ${name} does not compile: ${failed.error}`,
      filter.jq !== filter.written ? `as jq reads it: ${filter.jq}` : 'jq 1.8 reads the filter as written',
    );
  }
  // Each referenced or included file read once a run, as entity files' `file://` targets are.
  const targets = createTargetReader(repository.root);
  return {
    resources: mappings.appConfig.resources,
    context: {
      engine,
      provider: mappings.provider,
      repository: facts,
      appConfig: file,
      readFile: (path) => targets.read(path),
    },
  };
}

/** The repository's name, default branch, address and current branch, from the local clone alone. */
async function repositoryFacts(repository: RepositoryInfo, env: NodeJS.ProcessEnv): Promise<RepositoryFacts> {
  const git = (args: string[]) =>
    repository.gitRoot ? gitText(repository.root, args).catch(() => '') : Promise.resolve('');
  // The three questions at once: each is a git process, and a full check's walk keeps the other core busy.
  const [id, originHead, current] = await Promise.all([
    // `github.com/acme/repo` (from the remote), `acme/repo` (from the CI), or the folder's name.
    repositoryId(repository, env),
    git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']),
    git(['rev-parse', '--abbrev-ref', 'HEAD']),
  ]);
  const [first, ...rest] = id.split('/');
  const host = rest.length > 0 && first!.includes('.') ? first : undefined;
  const fullName = host ? rest.join('/') : id;
  const branch = current.trim() && current.trim() !== 'HEAD' ? current.trim() : 'main';
  return {
    name: fullName.split('/').pop() || fullName,
    fullName,
    defaultBranch: originHead.trim().replace(/^origin\//, '') || branch,
    url: host ? `https://${id}` : '',
    branch,
  };
}
