import type { Blueprint } from '@port-gitops/port-schema';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityChanges } from '../select/index.js';
import type { EntityFileMatcher } from '../discover/index.js';
import type { Git } from '../git/index.js';
import type { EntityReader } from '../read/index.js';
import type { LoadedFile, Problem } from '../model.js';
import { encodePointer, place } from '../source/index.js';

export interface RelationTargetOptions {
  blueprints: ReadonlyMap<string, Blueprint>;
  /** `--strict-relations`: an unknown target is an error rather than a warning. */
  strict: boolean;
  /**
   * Which of these `blueprint\0identifier` keys some entity file outside `files` defines. A
   * changed-only run loaded only the changed files; a full run passes nothing (all were loaded).
   */
  findElsewhere?: (keys: Array<{ blueprint: string; identifier: string }>) => Promise<Set<string>>;
  /**
   * A changed-only run checks only what the change introduces: entities it did not change are
   * skipped, and a target an entity already had at base was checked when it was added.
   */
  changes?: Pick<EntityChanges, 'unchanged' | 'previous'>;
}

/**
 * Relations whose target is defined by no entity file of the repository. Port may hold the target
 * already (created elsewhere), so this is a warning unless `strict`. Checked only where the
 * blueprint definition is known (it names the relation's target blueprint), and not for Port's own
 * blueprints (`_user`, `_team`, ...), which files never define.
 */
export async function checkRelationTargets(files: LoadedFile[], options: RelationTargetOptions): Promise<Problem[]> {
  const defined = new Set<string>();
  for (const file of files) {
    for (const entity of file.entities)
      if (entity.blueprint && entity.identifier) defined.add(`${entity.blueprint}\u0000${entity.identifier}`);
  }
  const references: Array<{
    file: LoadedFile;
    pointer: string;
    relation: string;
    blueprint: string;
    identifier: string;
  }> = [];
  for (const file of files) {
    for (const entity of file.entities) {
      const blueprint = entity.blueprint ? options.blueprints.get(entity.blueprint) : undefined;
      const relations = entity.data.relations;
      if (!blueprint || typeof relations !== 'object' || relations === null) continue;
      if (options.changes?.unchanged.has(entity)) continue;
      const before = options.changes?.previous.get(entity)?.relations as Record<string, unknown> | undefined;
      for (const [name, value] of Object.entries(relations as Record<string, unknown>)) {
        const target = blueprint.relations?.[name]?.target;
        if (!target || target.startsWith('_')) continue;
        const known = new Set([before?.[name]].flat().filter((id): id is string => typeof id === 'string'));
        const ids =
          typeof value === 'string'
            ? [[value, [name]]]
            : Array.isArray(value)
              ? value.map((id, i) => [id, [name, i]])
              : [];
        for (const [identifier, path] of ids as Array<[unknown, Array<string | number>]>) {
          if (typeof identifier !== 'string' || known.has(identifier) || defined.has(`${target}\u0000${identifier}`))
            continue;
          references.push({
            file,
            pointer: entity.pointer + encodePointer(['relations', ...path]),
            relation: name,
            blueprint: target,
            identifier,
          });
        }
      }
    }
  }
  if (references.length === 0) return [];
  const elsewhere = options.findElsewhere
    ? await options.findElsewhere(references.map(({ blueprint, identifier }) => ({ blueprint, identifier })))
    : new Set<string>();
  return references
    .filter((ref) => !elsewhere.has(`${ref.blueprint}\u0000${ref.identifier}`))
    .map((ref) => ({
      file: ref.file.path,
      ...place(ref.file.locator, ref.pointer),
      code: 'relation-target' as const,
      severity: options.strict ? ('error' as const) : ('warning' as const),
      rule: 'relation-target',
      message: `relation "${ref.relation}" points at "${ref.identifier}" of blueprint "${ref.blueprint}", which no entity file defines`,
      hint: options.strict
        ? 'define it in an entity file, or fix the identifier'
        : 'it may exist in Port already; --strict-relations makes this an error',
    }));
}

export interface OtherFilesOptions {
  root: string;
  include: string[];
  matcher: EntityFileMatcher;
  /** The files this run loaded: they were searched already. */
  loaded: LoadedFile[];
  reader: EntityReader;
}

/** An identifier (or a Backstage name) whose value is not on its key's line: a block scalar, an alias, a tag. */
const VALUE_ELSEWHERE = `(identifier|name)["']?[[:space:]]*:[[:space:]]*([|>&*!]|$)`;

/**
 * For a changed-only run: which of these entities an entity file it did not load defines. One git grep
 * (in C) lists every line of the entity files that holds an identifier key, and a second the files that
 * write one with its value elsewhere (a block scalar, an alias); the value on each line is looked up among
 * the wanted names, and only the files where one is found are parsed, and the parse decides. The cost does
 * not grow with the number of targets: a change relating to thousands of entities, or to one entity that
 * thousands relate to, parses the files that define them.
 */
export async function definedInOtherFiles(
  git: Git,
  options: OtherFilesOptions,
  keys: Array<{ blueprint: string; identifier: string }>,
): Promise<Set<string>> {
  const seen = new Set(options.loaded.map((file) => file.path));
  // The last `/` part of an identifier is what a file defining it writes: a Backstage file qualified by
  // namespace (`retail/shop`) writes its name alone.
  const wanted = new Set(keys.map(({ identifier }) => identifier.slice(identifier.lastIndexOf('/') + 1) || identifier));
  const keyOnLine = new RegExp(
    `(?:${options.reader.identifierKeys.join('|')})["']?\\s*:\\s*["']?([^\\s"',}\\]]+)`,
    'g',
  );
  const [lines, elsewhere] = await Promise.all([
    git.matchingLines(options.reader.identifierKeys, options.include, { word: true }),
    git.filesContaining([VALUE_ELSEWHERE], options.include, { regex: true }),
  ]);
  const candidates = new Set<string>(elsewhere);
  for (const { path, text } of lines) {
    for (const match of text.matchAll(keyOnLine)) {
      const value = match[1]!;
      if (wanted.has(value.slice(value.lastIndexOf('/') + 1) || value)) candidates.add(path);
    }
  }
  const found = new Set<string>();
  for (const path of [...candidates].sort()) {
    if (seen.has(path) || !options.matcher.isEntityFile(path)) continue;
    const text = await readFile(join(options.root, path), 'utf8').catch(() => '');
    for (const entity of options.reader.parse(path, text)) {
      const blueprint = options.reader.blueprintOf(path, entity);
      if (blueprint && typeof entity.identifier === 'string') found.add(`${blueprint}\u0000${entity.identifier}`);
    }
  }
  return found;
}
