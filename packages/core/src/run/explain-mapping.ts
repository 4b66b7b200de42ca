import { relative, resolve, sep } from 'node:path';
import { globMatcher } from '../globs.js';
import { loadConfig } from '../config/index.js';
import { discover } from '../discover/index.js';
import { FatalError } from '../errors.js';
import { Git, describeRepository } from '../git/index.js';
import { type FieldResult, type FieldTrace, mapFiles } from '../mapping/index.js';
import { readForSearch } from '../read/index.js';
import { openMapping } from './mapping.js';

/** What the mappings make of one file through one resource: each input's filters, then what came of it. */
interface MappingExplanation {
  path: string;
  /** The resource's place in the app config (from 0), and where it is written. */
  resource: { index: number; at: string };
  inputs: Array<{ item?: number; fields: Array<{ name: string; result: FieldResult }> }>;
  entities: Array<Record<string, unknown>>;
  problems: Array<{ severity: string; rule: string; message: string }>;
}

/**
 * For `port-gitops map`: runs the repository's file-kind mappings on the named files (or on every file
 * their paths match) and says, filter by filter, what each gave: jq's value, nothing, or its error; then
 * the entities made and the problems. Reads no credentials and writes nothing: what Port's mapping editor
 * shows, on the command line.
 */
export async function explainMappings(options: {
  cwd: string;
  configPath?: string;
  files?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<MappingExplanation[]> {
  const repository = await describeRepository(options.cwd);
  const root = repository.root;
  const { config } = loadConfig(root, options.configPath);
  if (!config.mappings) {
    throw new FatalError(
      'config',
      'this repository has no file-kind mappings',
      'write .port/port-app-config.yml (docs/mappings.md)',
    );
  }
  const mapping = await openMapping(config, repository, options.env ?? process.env);
  if (!mapping) return [];
  const paths =
    options.files && options.files.length > 0
      ? options.files.map((file) => relative(root, resolve(options.cwd, file)).split(sep).join('/'))
      : (
          await discover({
            root,
            include: mapping.resources.flatMap((resource) => resource.paths),
            exclude: config.exclude,
            ...(repository.gitRoot ? { git: new Git(root) } : {}),
          })
        ).files.map((file) => file.path);
  const explanations: MappingExplanation[] = [];
  for (const resource of mapping.resources) {
    const matches = globMatcher(resource.paths, { dot: true });
    const files = paths.filter((path) => matches(path)).map((path) => ({ path, text: readForSearch(root, path) }));
    if (files.length === 0) continue;
    const traces: FieldTrace[] = [];
    const mapped = mapFiles(resource, files, mapping.context, (trace) => traces.push(trace));
    for (const result of mapped) {
      explanations.push({
        path: result.path,
        resource: {
          index: resource.index,
          at: `${mapping.context.appConfig}:${resource.at.line}:${resource.at.column}`,
        },
        inputs: traces
          .filter((trace) => trace.path === result.path)
          .map((trace) => ({
            ...(trace.item === undefined ? {} : { item: trace.item }),
            fields: [...trace.results].map(([name, result]) => ({ name, result })),
          })),
        entities: result.entities.map((entity) => entity.data),
        problems: result.problems.map(({ severity, rule, message }) => ({ severity, rule, message })),
      });
    }
  }
  return explanations.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.resource.index - b.resource.index,
  );
}
